export * from "@fabricatio/stubgen";
