export * from "@fabricatio/gateway";
