export * from "@fabricatio/scanner";
