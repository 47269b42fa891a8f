export * from "@fabricatio/constants";
