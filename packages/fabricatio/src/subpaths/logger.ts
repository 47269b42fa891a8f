export * from "@fabricatio/logger";
