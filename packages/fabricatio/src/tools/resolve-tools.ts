import { InvalidOptionError } from "../errors.js";
import { parameterSchemaOf } from "./tool-parameters.js";
import { functionResultText, mcpResultText } from "./tool-result-text.js";
import type { McpToolProvider, ResolvedTool, ToolDefinition, ToolSource } from "./types.js";

/** The tool-name rule of the strictest provider (OpenAI's, which thryd checks too). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Whether a tool source is an MCP manager (or anything shaped like one). */
export function isMcpToolProvider(source: unknown): source is McpToolProvider {
  if (typeof source !== "object" || source === null) return false;
  const candidate = source as Record<string, unknown>;
  return (
    typeof candidate.serverList === "function" &&
    typeof candidate.listTools === "function" &&
    typeof candidate.callTool === "function"
  );
}

function functionTool(definition: ToolDefinition<unknown>, index: number): ResolvedTool {
  if (typeof definition.name !== "string" || !TOOL_NAME.test(definition.name)) {
    throw new InvalidOptionError(
      `tools[${index}].name`,
      `must match ${TOOL_NAME} (got ${JSON.stringify(definition.name)})`,
    );
  }
  if (typeof definition.execute !== "function") {
    throw new InvalidOptionError(`tools[${index}].execute`, "must be a function");
  }
  const parameters = parameterSchemaOf(definition.parameters);
  return {
    source: "function",
    definition: {
      type: "function",
      function: {
        name: definition.name,
        ...(definition.description === undefined ? {} : { description: definition.description }),
        parameters: parameters.jsonSchema,
      },
    },
    validate: (args) => parameters.validate(args),
    async execute(args, { signal, toolCallId }) {
      const value = await definition.execute(args, { signal, toolCallId });
      return { content: functionResultText(value), isError: false };
    },
  };
}

/** An MCP tool name as the providers accept it: other characters become `_`, at most 64. */
function wireName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "_";
}

/** Every tool of every server of `provider` (or of `servers` only) as a function tool. */
export async function mcpTools(
  provider: McpToolProvider,
  servers: readonly string[] = provider.serverList(),
): Promise<ResolvedTool[]> {
  const lists = await Promise.all(servers.map((server) => provider.listTools(server)));
  return servers.flatMap((server, index) =>
    (lists[index] ?? []).map((tool): ResolvedTool => {
      const parameters = parameterSchemaOf(tool.inputSchema);
      return {
        source: `mcp:${server}`,
        definition: {
          type: "function",
          function: {
            name: wireName(tool.name),
            ...(tool.description ? { description: tool.description } : {}),
            parameters: parameters.jsonSchema,
          },
        },
        validate: (args) => parameters.validate(args),
        async execute(args, { signal, timeoutMs }) {
          const result = await provider.callTool(
            server,
            tool.name,
            args as Record<string, unknown>,
            { signal, timeoutMs },
          );
          return mcpResultText(result);
        },
      };
    }),
  );
}

/** The tools of a run, and what to close after it. */
export interface ResolvedToolSet {
  readonly tools: readonly ResolvedTool[];
  /** Closes the MCP servers started for the run. */
  close(): Promise<void>;
}

/**
 * Turns the sources of `runTools` into tools: function tools as given, each MCP manager's
 * servers, and the named config servers, started through `openServers` (once for all names).
 * @throws {InvalidOptionError} for a malformed function tool or two tools of one name
 */
export async function resolveToolSources(
  sources: readonly ToolSource[],
  openServers: (names: readonly string[]) => Promise<McpToolProvider & { close(): Promise<void> }>,
): Promise<ResolvedToolSet> {
  const tools: ResolvedTool[] = [];
  const names = sources.filter((source): source is string => typeof source === "string");
  const opened = names.length > 0 ? await openServers([...new Set(names)]) : undefined;
  try {
    for (const [index, source] of sources.entries()) {
      if (typeof source === "string") continue;
      if (isMcpToolProvider(source)) tools.push(...(await mcpTools(source)));
      else tools.push(functionTool(source, index));
    }
    if (opened) tools.push(...(await mcpTools(opened, [...new Set(names)])));
    const seen = new Map<string, string>();
    for (const tool of tools) {
      const name = tool.definition.function.name;
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        throw new InvalidOptionError(
          "tools",
          `has two tools named "${name}" (from ${earlier} and ${tool.source}); the model could not tell them apart`,
        );
      }
      seen.set(name, tool.source);
    }
  } catch (error) {
    await opened?.close();
    throw error;
  }
  return { tools, close: async () => opened?.close() };
}
