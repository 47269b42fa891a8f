import type { McpManager } from "@fabricatio/mcp-manager";
import type { Command } from "commander";
import { ToolReportedError, UsageError } from "../../errors.js";
import type { CliContext } from "../context.js";
import { printJson } from "../io.js";
import { parseNumberFlag } from "../parse-number.js";

// Node's timers overflow past 2^31 - 1 ms.
const MAX_TIMER_MS = 2_147_483_647;

async function withManager<T>(
  context: CliContext,
  only: string | undefined,
  run: (manager: McpManager) => Promise<T>,
): Promise<T> {
  const servers = (await context.config()).mcpServers();
  if (only !== undefined && !(only in servers)) {
    const known = Object.keys(servers);
    throw new UsageError(
      `unknown MCP server "${only}"; configured: ${known.length > 0 ? known.join(", ") : "none (add [mcp.servers.<name>] or [ext.tool] mcp_servers to fabricatio.toml)"}`,
    );
  }
  const selected = only === undefined ? servers : { [only]: servers[only]! };
  const { McpManager } = await import("@fabricatio/mcp-manager");
  const connectTimeoutS = (await context.config()).mcp.connect_timeout_s;
  const manager = await McpManager.create({
    servers: selected,
    env: context.io.env,
    ...(connectTimeoutS === undefined ? {} : { connectTimeoutMs: connectTimeoutS * 1000 }),
    // The CLI reports each failure itself (the table of `mcp servers`, the error line of the
    // others): the manager's own log line would print it twice.
    logFailures: false,
  });
  try {
    const failure = only === undefined ? undefined : manager.failures().get(only);
    if (failure) throw failure;
    return await run(manager);
  } finally {
    await manager.close();
  }
}

/** `mcp servers`, `mcp tools <server>` and `mcp call <server> <tool>`. */
export function registerMcpCommands(program: Command, context: CliContext): void {
  const { io } = context;
  const mcp = program.command("mcp").description("use the MCP servers of the [mcp] config section");
  mcp
    .command("servers")
    .description("connect to every configured server and report which work")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withManager(context, undefined, async (manager) => {
        const rows = Object.keys((await context.config()).mcpServers()).map((name) => ({
          name,
          connected: manager.hasClient(name),
          error: manager.failures().get(name)?.message,
        }));
        if (options.json) printJson(io, rows);
        else
          for (const row of rows)
            io.stdout(`${row.name}\t${row.connected ? "ok" : `failed: ${row.error}`}\n`);
      });
    });
  mcp
    .command("tools")
    .description("list the tools of a server with their signatures")
    .argument("<server>", "server name")
    .option("--lang <lang>", "signature flavour: python or ts", "ts")
    .option("--json", "print JSON")
    .action(async (server: string, options: { lang: string; json?: boolean }) => {
      if (options.lang !== "python" && options.lang !== "ts")
        throw new UsageError(`--lang must be python or ts, got ${JSON.stringify(options.lang)}`);
      const lang = options.lang;
      await withManager(context, server, async (manager) => {
        const tools = await manager.listTools(server);
        const described = await Promise.all(
          tools.map((tool) => manager.describeTool(server, tool.name, { lang })),
        );
        if (options.json) printJson(io, described);
        else
          for (const tool of described)
            io.stdout(
              `${tool.name}${tool.signature}\n    ${tool.description.split("\n")[0] ?? ""}\n`,
            );
      });
    });
  mcp
    .command("call")
    .description("call a tool")
    .argument("<server>", "server name")
    .argument("<tool>", "tool name")
    .option("--args <json>", "the arguments as a JSON object", "{}")
    .option("--timeout-ms <ms>", "time limit in milliseconds (default 60000)")
    .option("--json", "print the whole result as JSON")
    .action(
      async (
        server: string,
        tool: string,
        options: { args: string; timeoutMs?: string; json?: boolean },
      ) => {
        let args: unknown;
        try {
          args = JSON.parse(options.args);
        } catch (error) {
          throw new UsageError(
            `--args is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        if (typeof args !== "object" || args === null || Array.isArray(args))
          throw new UsageError("--args must be a JSON object");
        const timeoutMs =
          options.timeoutMs === undefined
            ? undefined
            : parseNumberFlag(options.timeoutMs, "--timeout-ms", {
                min: 1,
                max: MAX_TIMER_MS,
                integer: true,
              });
        await withManager(context, server, async (manager) => {
          await manager.getTool(server, tool);
          const result = await manager.callTool(server, tool, args as Record<string, unknown>, {
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
          });
          if (options.json) {
            printJson(io, result);
            return;
          }
          for (const part of (result.content ?? []) as { type: string; text?: string }[]) {
            io.stdout(part.type === "text" ? `${part.text ?? ""}\n` : `[${part.type}]\n`);
          }
          if (result.isError) throw new ToolReportedError(server, tool);
        });
      },
    );
}
