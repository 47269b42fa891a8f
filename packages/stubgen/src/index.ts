export type { BundledDeclaration } from "./declaration-bundler.js";
export { DeclarationBundler } from "./declaration-bundler.js";
export {
  CompileError,
  EntryNotFoundError,
  isStubgenError,
  OutdatedDeclarationError,
  StubgenError,
  UnsupportedConstructError,
  UsageError,
} from "./errors.js";
export type { ServerTools } from "./mcp-declaration.js";
export { mcpDeclaration, readMcpServers, stubMcp } from "./mcp-declaration.js";
export type { GeneratedDeclaration, GeneratePackageOptions } from "./package-declarations.js";
export { generatePackageDeclarations, readManifest, typesEntries } from "./package-declarations.js";
export type { SchemaDeclarationOptions } from "./schema-declaration.js";
export { readSchemaFile, schemaDeclaration } from "./schema-declaration.js";
export type { StubPackageResult, StubPackagesOptions } from "./stub-packages.js";
export { stubPackages } from "./stub-packages.js";
export type { CliIo as StubgenCliIo } from "./stubgen-cli.js";
export { createStubgenCommand, runStubgenCli } from "./stubgen-cli.js";
export type { DeclarationReport } from "./verify-declaration.js";
export { verifyDeclaration } from "./verify-declaration.js";
export type { WorkspacePackage } from "./workspace-packages.js";
export { discoverPackages } from "./workspace-packages.js";
