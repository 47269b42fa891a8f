export {
  ClientNotFoundError,
  CommandNotFoundError,
  isMcpError,
  McpError,
  McpRequestError,
  McpTimeoutError,
  ServerExitedError,
  ServiceInitError,
  ServiceNotSupportedError,
  ToolNotFoundError,
} from "./errors.js";
export type { ToolDescription } from "./mcp-manager.js";
export { McpManager } from "./mcp-manager.js";
export { resolveCommand } from "./resolve-command.js";
export type { CallToolOptions, McpManagerOptions, McpServerConfig } from "./types.js";
