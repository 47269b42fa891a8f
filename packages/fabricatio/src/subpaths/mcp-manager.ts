export * from "@fabricatio/mcp-manager";
