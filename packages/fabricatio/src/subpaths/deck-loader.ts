export * from "@fabricatio/deck-loader";
