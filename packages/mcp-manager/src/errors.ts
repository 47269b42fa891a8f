const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Base class of every error @fabricatio/mcp-manager throws. */
export class McpError extends Error {
  readonly [ERROR_BRAND] = true;
  /** Stable machine-readable code, prefixed `MCP_`. */
  readonly code: string = "MCP_ERROR";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `value` is an mcp-manager error, even from another copy of this package. */
export function isMcpError(value: unknown): value is McpError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[ERROR_BRAND] === true &&
    String((value as { code?: unknown }).code).startsWith("MCP_")
  );
}

/** No server of that name is connected. */
export class ClientNotFoundError extends McpError {
  override readonly code = "MCP_CLIENT_NOT_FOUND";
  readonly clientId: string;

  constructor(clientId: string) {
    super(`Client ${clientId} not found`);
    this.clientId = clientId;
  }
}

/** The server has no tool of that name. */
export class ToolNotFoundError extends McpError {
  override readonly code = "MCP_TOOL_NOT_FOUND";
  readonly clientId: string;
  readonly toolName: string;

  constructor(clientId: string, toolName: string) {
    super(`Tool ${toolName} not found on server ${clientId}`);
    this.clientId = clientId;
    this.toolName = toolName;
  }
}

/** The server could not be started or did not complete the MCP handshake. */
export class ServiceInitError extends McpError {
  override readonly code = "MCP_SERVICE_INIT";
  readonly clientId: string;

  constructor(clientId: string, cause: unknown) {
    super(
      `Server ${clientId} failed to start: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.clientId = clientId;
  }
}

/** The configuration names no usable transport (an unknown `type`, or no `command`/`url`). */
export class ServiceNotSupportedError extends McpError {
  override readonly code = "MCP_SERVICE_NOT_SUPPORTED";
  readonly clientId: string;

  constructor(clientId: string, detail: string) {
    super(`Server ${clientId}: ${detail}`);
    this.clientId = clientId;
  }
}

/** A stdio server's command is not an executable file, nor found on PATH. */
export class CommandNotFoundError extends McpError {
  override readonly code = "MCP_COMMAND_NOT_FOUND";
  readonly command: string;

  constructor(command: string, searched: readonly string[]) {
    super(
      `Command not found: ${command} (searched ${searched.length > 0 ? searched.join(", ") : "an empty PATH"})`,
    );
    this.command = command;
  }
}

/** A request did not finish in time. */
export class McpTimeoutError extends McpError {
  override readonly code = "MCP_TIMEOUT";

  constructor(what: string, timeoutMs: number, cause?: unknown) {
    super(`${what} timed out after ${timeoutMs} ms`, { cause });
  }
}

/** A stdio server exited; without `reconnect` it stays gone. */
export class ServerExitedError extends McpError {
  override readonly code = "MCP_SERVER_EXITED";
  readonly clientId: string;

  constructor(clientId: string) {
    super(
      `Server ${clientId} has exited; create the manager with reconnect: true to restart it on use`,
    );
    this.clientId = clientId;
  }
}

/** The server answered a request with an error. */
export class McpRequestError extends McpError {
  override readonly code = "MCP_REQUEST_FAILED";

  constructor(what: string, cause: unknown) {
    super(`${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
