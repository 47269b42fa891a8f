export * from "@fabricatio/tex-convertor";
