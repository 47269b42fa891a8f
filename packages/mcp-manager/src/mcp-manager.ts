import { getLogger, registerSecret } from "@fabricatio/logger";
import {
  schemaToDocstringArgs,
  schemaToSignature,
  schemaToTsDoc,
  schemaToTsSignature,
} from "@fabricatio/signify";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Prompt, Resource, Tool } from "@modelcontextprotocol/sdk/types.js";
import {
  ErrorCode,
  McpError as SdkMcpError,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import {
  ClientNotFoundError,
  McpError,
  McpRequestError,
  McpTimeoutError,
  ServerExitedError,
  ServiceInitError,
  ServiceNotSupportedError,
  ToolNotFoundError,
} from "./errors.js";
import { ProcessGroupStdioTransport } from "./process-group-stdio-transport.js";
import { resolveCommand } from "./resolve-command.js";
import type { CallToolOptions, McpManagerOptions, McpServerConfig } from "./types.js";

const logger = getLogger("mcp-manager:manager");

/** Default time limit of one connection (transport start plus MCP handshake), in ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

interface Connection {
  readonly client: Client;
  readonly transport: Transport;
  tools: Tool[] | undefined;
  exited: boolean;
  closing: boolean;
}

/** What `describeTool` returns. */
export interface ToolDescription {
  readonly name: string;
  readonly description: string;
  /** `(*, a: int)` in Python, `(args: { a: number })` in TypeScript. */
  readonly signature: string;
  /** The `Args:` docstring block (Python) or TSDoc block (TypeScript); empty without parameters. */
  readonly doc: string;
}

function stringEnv(env: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  // As the original: strings pass through, anything else is sent as its JSON.
  return Object.fromEntries(
    Object.entries(env ?? {}).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `promise`, or a rejection with `timeoutError()` once `timeoutMs` has passed. */
function withDeadline<T>(
  promise: Promise<T>,
  timeoutMs: number,
  timeoutError: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), clampTimerMs(timeoutMs));
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// Node fires a longer timer after 1 ms.
function clampTimerMs(ms: number): number {
  return Math.min(Math.max(ms, 0), 2_147_483_647);
}

function wrapRequestError(
  what: string,
  error: unknown,
  timeoutMs: number | undefined,
  signal?: AbortSignal,
): McpError {
  if (error instanceof McpError) return error;
  // The SDK reports a caller's abort with the timeout's error code: the signal tells them apart.
  if (signal?.aborted) return new McpRequestError(what, signal.reason);
  if (error instanceof SdkMcpError && error.code === ErrorCode.RequestTimeout) {
    return new McpTimeoutError(what, timeoutMs ?? 60_000, error);
  }
  return new McpRequestError(what, error);
}

/**
 * Connects to many Model Context Protocol servers at once, over stdio, streamable HTTP or SSE,
 * and routes tool calls, resources and prompts to them by server name. A server that fails to
 * start does not stop the others; its error is kept in `failures()` and logged.
 */
export class McpManager implements AsyncDisposable {
  readonly #connections = new Map<string, Connection>();
  readonly #failures = new Map<string, McpError>();
  readonly #configs: Readonly<Record<string, McpServerConfig>>;
  readonly #options: McpManagerOptions;

  private constructor(options: McpManagerOptions) {
    this.#options = options;
    this.#configs = options.servers;
  }

  /**
   * Connects to every configured server, at most `connectConcurrency` (3) at a time, each within
   * `connectTimeoutMs` (30 s) whatever its transport. Never throws for a server that fails: see
   * `failures()`; a stdio server that failed is stopped with its whole process group.
   */
  static async create(options: McpManagerOptions): Promise<McpManager> {
    const manager = new McpManager(options);
    await mapWithConcurrency(
      Object.keys(options.servers),
      options.connectConcurrency ?? 3,
      (name) => manager.#connect(name),
    );
    return manager;
  }

  #transport(name: string, config: McpServerConfig): Transport {
    const type = config.type ?? "stdio";
    // Env values and headers carry tokens (GITHUB_TOKEN, Authorization): no log line or error
    // may show them, whatever a server echoes back.
    for (const value of Object.values(stringEnv(config.env))) registerSecret(value);
    for (const value of Object.values(config.headers ?? {})) registerSecret(value);
    if (type === "stdio") {
      if (!config.command)
        throw new ServiceNotSupportedError(name, "a stdio server needs a command");
      const env = this.#options.env ?? process.env;
      const command = resolveCommand(config.command, { env, cwd: config.cwd });
      const serverEnv = { ...getDefaultEnvironment(), ...stringEnv(config.env) };
      // Windows has no process groups to signal; there the SDK's transport is used.
      const transport =
        process.platform === "win32"
          ? new StdioClientTransport({
              command,
              args: [...(config.args ?? [])],
              env: serverEnv,
              cwd: config.cwd,
              stderr: "pipe",
            })
          : new ProcessGroupStdioTransport({
              command,
              args: config.args,
              env: serverEnv,
              cwd: config.cwd,
            });
      transport.stderr?.on("data", (chunk: Buffer) =>
        logger.debug(() => `[${name}] ${chunk.toString("utf8").trimEnd()}`),
      );
      return transport;
    }
    if (type === "stream" || type === "sse") {
      if (!config.url) throw new ServiceNotSupportedError(name, `a ${type} server needs a url`);
      const requestInit = config.headers ? { headers: { ...config.headers } } : undefined;
      return type === "stream"
        ? new StreamableHTTPClientTransport(new URL(config.url), { requestInit })
        : new SSEClientTransport(new URL(config.url), { requestInit });
    }
    throw new ServiceNotSupportedError(
      name,
      `unknown transport type "${type}" (expected stdio, stream or sse)`,
    );
  }

  async #connect(name: string): Promise<Connection | undefined> {
    const config = this.#configs[name]!;
    let transport: Transport;
    try {
      transport = this.#transport(name, config);
    } catch (error) {
      return this.#fail(
        name,
        error instanceof McpError ? error : new ServiceInitError(name, error),
      );
    }
    const client = new Client(this.#options.clientInfo ?? { name: "fabricatio", version: "0" }, {
      capabilities: {},
    });
    const connection: Connection = {
      client,
      transport,
      tools: undefined,
      exited: false,
      closing: false,
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      connection.tools = undefined;
      logger.debug(`tool list of ${name} changed`);
    });
    client.onclose = () => {
      if (connection.closing) return;
      connection.exited = true;
      logger.warn(
        `MCP server ${name} closed the connection${this.#options.reconnect ? "; it will be restarted on next use" : ""}`,
      );
      this.#failures.set(name, new ServerExitedError(name));
    };
    const timeoutMs = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    try {
      await withDeadline(
        // The SDK's timeout covers only the initialize request; starting the transport (an SSE
        // stream that never sends its endpoint) is bounded by the deadline around both.
        client.connect(transport, { timeout: timeoutMs }),
        timeoutMs,
        () => new McpTimeoutError(`connecting to MCP server ${name}`, timeoutMs),
      );
    } catch (error) {
      connection.closing = true;
      await transport.close().catch(() => undefined);
      return this.#fail(name, new ServiceInitError(name, error));
    }
    this.#failures.delete(name);
    this.#connections.set(name, connection);
    logger.debug(`connected to MCP server ${name}`);
    return connection;
  }

  #fail(name: string, error: McpError): undefined {
    this.#failures.set(name, error);
    if (this.#options.logFailures !== false) {
      logger.error(`MCP server ${name} is not available: ${error.message}`);
    }
    return undefined;
  }

  async #get(id: string): Promise<Connection> {
    const connection = this.#connections.get(id);
    if (!connection) throw new ClientNotFoundError(id);
    if (!connection.exited) return connection;
    if (!this.#options.reconnect) throw new ServerExitedError(id);
    this.#connections.delete(id);
    const fresh = await this.#connect(id);
    if (!fresh) throw this.#failures.get(id) ?? new ClientNotFoundError(id);
    return fresh;
  }

  /** Names of the connected servers. */
  serverList(): string[] {
    return [...this.#connections.keys()];
  }

  /** How many servers are connected. */
  serverCount(): number {
    return this.#connections.size;
  }

  /** Whether a server of that name is connected. */
  hasClient(id: string): boolean {
    return this.#connections.has(id);
  }

  /** The servers that failed to start or exited, with their errors. */
  failures(): ReadonlyMap<string, McpError> {
    return new Map(this.#failures);
  }

  /**
   * Pings a server.
   * @throws {ClientNotFoundError} | {ServerExitedError} | {McpRequestError}
   */
  async ping(id: string): Promise<boolean> {
    const { client } = await this.#get(id);
    try {
      await client.ping();
      return true;
    } catch (error) {
      throw wrapRequestError(`ping of ${id}`, error, undefined);
    }
  }

  /**
   * Every tool of a server, all pages, cached until the server reports that its list changed.
   * @throws {ClientNotFoundError} | {ServerExitedError} | {McpRequestError}
   */
  async listTools(id: string): Promise<Tool[]> {
    const connection = await this.#get(id);
    if (connection.tools) return connection.tools;
    const tools: Tool[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await connection.client.listTools(
          cursor === undefined ? undefined : { cursor },
        );
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      throw wrapRequestError(`listing the tools of ${id}`, error, undefined);
    }
    connection.tools = tools;
    return tools;
  }

  /**
   * One tool of a server.
   * @throws {ToolNotFoundError} when it has no tool of that name
   */
  async getTool(id: string, name: string): Promise<Tool> {
    const tool = (await this.listTools(id)).find((candidate) => candidate.name === name);
    if (!tool) throw new ToolNotFoundError(id, name);
    return tool;
  }

  /** Whether a server has a tool of that name. */
  async hasTool(id: string, name: string): Promise<boolean> {
    return (await this.listTools(id)).some((tool) => tool.name === name);
  }

  /**
   * Calls a tool and returns its result (`content`, `structuredContent`, `isError`). A call that
   * outlives `timeoutMs` or whose `signal` aborts is cancelled on the server too.
   * @throws {ClientNotFoundError} | {ServerExitedError}
   * @throws {McpTimeoutError} when `timeoutMs` (default: the SDK's 60000) passes first
   * @throws {McpRequestError} when the call fails, or `signal` aborts (`cause` is its reason)
   */
  async callTool(
    id: string,
    name: string,
    args?: Record<string, unknown>,
    options: CallToolOptions = {},
  ) {
    const { client } = await this.#get(id);
    try {
      return await client.callTool({ name, arguments: args ?? {} }, undefined, {
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw wrapRequestError(`tool ${name} on ${id}`, error, options.timeoutMs, options.signal);
    }
  }

  /** Every resource of a server, all pages. */
  async listResources(id: string): Promise<Resource[]> {
    const { client } = await this.#get(id);
    const resources: Resource[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await client.listResources(cursor === undefined ? undefined : { cursor });
        resources.push(...page.resources);
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      throw wrapRequestError(`listing the resources of ${id}`, error, undefined);
    }
    return resources;
  }

  /** Reads one resource. */
  async readResource(id: string, uri: string) {
    const { client } = await this.#get(id);
    try {
      return await client.readResource({ uri });
    } catch (error) {
      throw wrapRequestError(`reading ${uri} from ${id}`, error, undefined);
    }
  }

  /** Every prompt of a server, all pages. */
  async listPrompts(id: string): Promise<Prompt[]> {
    const { client } = await this.#get(id);
    const prompts: Prompt[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await client.listPrompts(cursor === undefined ? undefined : { cursor });
        prompts.push(...page.prompts);
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      throw wrapRequestError(`listing the prompts of ${id}`, error, undefined);
    }
    return prompts;
  }

  /** Gets one prompt, filled with `args`. */
  async getPrompt(id: string, name: string, args: Record<string, string> = {}) {
    const { client } = await this.#get(id);
    try {
      return await client.getPrompt({ name, arguments: args });
    } catch (error) {
      throw wrapRequestError(`prompt ${name} of ${id}`, error, undefined);
    }
  }

  /**
   * A tool's signature and doc, from its input schema through @fabricatio/signify: a Python
   * keyword-only signature with a Google `Args:` block, or a TypeScript `args` object with TSDoc.
   * @throws {ToolNotFoundError} and the errors of `listTools`
   */
  async describeTool(
    id: string,
    name: string,
    { lang = "python" }: { lang?: "python" | "ts" } = {},
  ): Promise<ToolDescription> {
    const tool = await this.getTool(id, name);
    const schema = tool.inputSchema;
    const signature =
      (lang === "python" ? schemaToSignature(schema) : schemaToTsSignature(schema)) ?? "()";
    const doc = (lang === "python" ? schemaToDocstringArgs(schema) : schemaToTsDoc(schema)) ?? "";
    return { name: tool.name, description: tool.description ?? "", signature, doc };
  }

  /** Closes every connection and ends every child process. */
  async close(): Promise<void> {
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(
      connections.map(async (connection) => {
        connection.closing = true;
        await connection.client
          .close()
          .catch((error: unknown) => logger.warn("closing an MCP client failed", { error }));
      }),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
