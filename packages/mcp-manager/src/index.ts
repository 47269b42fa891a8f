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
export { DEFAULT_CONNECT_TIMEOUT_MS, McpManager } from "./mcp-manager.js";
export type { ProcessGroupStdioOptions } from "./process-group-stdio-transport.js";
export { ProcessGroupStdioTransport } from "./process-group-stdio-transport.js";
export { resolveCommand } from "./resolve-command.js";
export type { CallToolOptions, McpManagerOptions, McpServerConfig } from "./types.js";
