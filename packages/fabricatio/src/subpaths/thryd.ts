export * from "@fabricatio/thryd";
