export * from "@fabricatio/signify";
