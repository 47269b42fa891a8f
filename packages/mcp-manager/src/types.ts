/** One server, as the `[mcp.servers.<name>]` table of fabricatio.toml has it. */
export interface McpServerConfig {
  /** Transport: `stdio` (a child process), `stream` (streamable HTTP) or `sse`. @default "stdio" */
  type?: "stdio" | "stream" | "sse" | (string & {});
  /** stdio: the command, resolved on PATH. */
  command?: string;
  /** stdio: its arguments. */
  args?: readonly string[];
  /** stdio: extra environment; values that are not strings are JSON-encoded. */
  env?: Readonly<Record<string, unknown>>;
  /** stdio: working directory. */
  cwd?: string;
  /** stream/sse: the endpoint URL. */
  url?: string;
  /** stream/sse: HTTP headers sent with every request. */
  headers?: Readonly<Record<string, string>>;
}

/** Options of `McpManager.create`. */
export interface McpManagerOptions {
  /** The servers by name. */
  servers: Readonly<Record<string, McpServerConfig>>;
  /** Restart a stdio server that exited when it is next used. @default false */
  reconnect?: boolean;
  /** Servers connected at once. @default 3, as the original */
  connectConcurrency?: number;
  /**
   * Time limit of one connection, in ms: starting the transport (spawning the process, opening
   * the SSE stream and receiving its endpoint) plus the MCP initialize handshake, for every
   * transport. A stdio server that misses it is stopped with its whole process group.
   * @default 30000
   */
  connectTimeoutMs?: number;
  /**
   * Log each server that fails to connect at ERROR. A caller that reports `failures()` itself
   * (a CLI) turns this off so that each failure is printed once. @default true
   */
  logFailures?: boolean;
  /** Environment in which commands are looked up and started. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Name and version this client announces. @default { name: "fabricatio", version: "0" } */
  clientInfo?: { name: string; version: string };
}

/** Options of one tool call. */
export interface CallToolOptions {
  /** Time limit in ms. @default the SDK's (60000) */
  timeoutMs?: number;
  /** Cancels the call. */
  signal?: AbortSignal;
}
