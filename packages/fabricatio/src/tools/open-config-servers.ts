import { McpManager } from "@fabricatio/mcp-manager";
import { McpServerNotConfiguredError } from "../errors.js";
import type { McpSettings } from "../llm/types.js";

/**
 * Starts the named servers of the `[mcp]` config section in one manager.
 * @throws {McpServerNotConfiguredError} for a name the section does not have
 * @throws the manager's `ServiceInitError` (or `McpTimeoutError`…) of a server that did not
 * connect, after closing the others
 */
export async function openConfigServers(
  settings: McpSettings | undefined,
  names: readonly string[],
): Promise<McpManager> {
  const configured = settings?.servers() ?? {};
  for (const name of names) {
    if (!Object.hasOwn(configured, name)) {
      throw new McpServerNotConfiguredError(name, Object.keys(configured));
    }
  }
  const manager = await McpManager.create({
    servers: Object.fromEntries(names.map((name) => [name, configured[name]!])),
    ...(settings?.env ? { env: settings.env } : {}),
    ...(settings?.connectTimeoutMs === undefined
      ? {}
      : { connectTimeoutMs: settings.connectTimeoutMs }),
    // The failure is thrown below, with its server's name: a log line would say it twice.
    logFailures: false,
  });
  const failed = names.find((name) => manager.failures().has(name));
  if (failed !== undefined) {
    await manager.close();
    throw manager.failures().get(failed);
  }
  return manager;
}
