export * from "@fabricatio/config";
