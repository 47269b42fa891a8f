import { type AgentVariant, isAgentVariant } from "@fabricatio/constants";
import { z } from "zod";
import { ConfigValidationError, InvalidAgentVariantError } from "./errors.js";
import { redactConfigValue } from "./redact-config.js";
import type {
  AgentConfig,
  ConfigSections,
  DebugConfig,
  EmbeddingConfig,
  EmitterConfig,
  GatewayConfig,
  GeneralConfig,
  LlmConfig,
  McpConfig,
  McpServerConfig,
  RerankerConfig,
  RoutingConfig,
  TemplateManagerConfig,
  TemplatesConfig,
} from "./schema.js";
import { mcpServerSchema } from "./schema.js";
import { SecretStr } from "./secret-str.js";

/** Where one configuration value came from. */
export interface Provenance {
  /** Dotted key path, e.g. `routing.providers` or `llm.temperature`. */
  readonly path: string;
  /** The value, secrets redacted. */
  readonly value: unknown;
  /** A file path, `env FABRICATIO_…`, `.env FABRICATIO_…`, `override`, or `default`. */
  readonly source: string;
}

function redact(value: unknown): unknown {
  if (value instanceof SecretStr) return value.toString();
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item)]));
  }
  return value;
}

function flatten(value: unknown, prefix: string, into: [string, unknown][]): void {
  if (
    value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !(value instanceof SecretStr)
  ) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) into.push([prefix, {}]);
    for (const [key, item] of entries) flatten(item, prefix ? `${prefix}.${key}` : key, into);
    return;
  }
  into.push([prefix, value]);
}

// The original's users keep their MCP servers in fabricatio-tool's `[ext.tool] mcp_servers`.
const toolMcpServersSchema = z.object({
  mcp_servers: z.record(z.string(), mcpServerSchema).default({}),
});

/** The loaded, validated configuration: every section of fabricatio.toml, typed. */
export class Config implements Omit<ConfigSections, "ext"> {
  llm: LlmConfig;
  agent: AgentConfig;
  embedding: EmbeddingConfig;
  reranker: RerankerConfig;
  debug: DebugConfig;
  templates: TemplatesConfig;
  template_manager: TemplateManagerConfig;
  routing: RoutingConfig;
  general: GeneralConfig;
  emitter: EmitterConfig;
  mcp: McpConfig;
  gateway: GatewayConfig;
  readonly #ext: Record<string, unknown>;
  readonly #sources: ReadonlyMap<string, string>;

  constructor(sections: ConfigSections, sources: ReadonlyMap<string, string> = new Map()) {
    this.llm = sections.llm;
    this.agent = sections.agent;
    this.embedding = sections.embedding;
    this.reranker = sections.reranker;
    this.debug = sections.debug;
    this.templates = sections.templates;
    this.template_manager = sections.template_manager;
    this.routing = sections.routing;
    this.general = sections.general;
    this.emitter = sections.emitter;
    this.#ext = sections.ext;
    this.mcp = sections.mcp;
    this.gateway = sections.gateway;
    this.#sources = sources;
  }

  /**
   * The group an agent variant (`tiny`…`plan`) is configured to; a name that is not a variant
   * passes through unchanged; `undefined` for no name or an unconfigured variant (as the original).
   */
  resolveLlmVariant(preferred?: string | null): string | undefined {
    if (preferred === undefined || preferred === null) return undefined;
    if (isAgentVariant(preferred)) return this.agent[preferred] ?? undefined;
    return preferred;
  }

  /**
   * Points an agent variant at a group (or unsets it with no target).
   * @throws {InvalidAgentVariantError} when `kind` is not `tiny`, `smol`, `task`, `slow` or `plan`
   */
  configureLlmVariant(kind: string, target?: string | null): void {
    if (!isAgentVariant(kind)) throw new InvalidAgentVariantError(kind);
    const variant: AgentVariant = kind;
    if (target === undefined || target === null) delete this.agent[variant];
    else this.agent[variant] = target;
  }

  /** The raw `[ext]` table: one entry per extension. */
  ext(): Record<string, unknown>;
  /**
   * The extension section `[ext.<name>]` validated by `schema` (zod); a missing section parses
   * `{}`, so the schema's defaults apply. The original's `CONFIG.load(name, cls)`.
   * @throws {ConfigValidationError} naming `ext.<name>.<key>` and its source for every problem
   */
  ext<T>(name: string, schema: z.ZodType<T>): T;
  ext<T>(name?: string, schema?: z.ZodType<T>): T | Record<string, unknown> {
    if (name === undefined || schema === undefined) return this.#ext;
    const raw = this.#ext[name] ?? {};
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    throw new ConfigValidationError(
      result.error.issues.map((issue) => {
        const keyPath = ["ext", name, ...issue.path.map(String)].join(".");
        return {
          path: keyPath,
          value: redactConfigValue(
            ["ext", name, ...issue.path.map(String)],
            issue.path.reduce<unknown>(
              (node, key) =>
                node && typeof node === "object"
                  ? (node as Record<PropertyKey, unknown>)[key as PropertyKey]
                  : undefined,
              raw,
            ),
          ),
          rule: issue.message,
          source: this.sourceOf(keyPath),
        };
      }),
    );
  }

  /**
   * Every configured MCP server: the `[mcp.servers.<name>]` tables and, as the original's users
   * keep them, `[ext.tool] mcp_servers`, in that order. A name in both takes the `[mcp.servers]`
   * entry whole.
   * @throws {ConfigValidationError} naming `ext.tool.mcp_servers.<name>.<key>` and its source for
   * an invalid server there (e.g. the original's `type = "worker"`, which is not supported)
   */
  mcpServers(): Record<string, McpServerConfig> {
    const fromTool = this.ext("tool", toolMcpServersSchema).mcp_servers;
    const servers: Record<string, McpServerConfig> = { ...this.mcp.servers };
    for (const [name, server] of Object.entries(fromTool)) servers[name] ??= server;
    return servers;
  }

  /** The source of the value at a dotted path: its own, or the nearest enclosing one. */
  sourceOf(path: string): string {
    for (
      let prefix = path;
      prefix;
      prefix = prefix.includes(".") ? prefix.slice(0, prefix.lastIndexOf(".")) : ""
    ) {
      const source = this.#sources.get(prefix);
      if (source) return source;
    }
    return "default";
  }

  /** Every leaf of the configuration with its value (secrets redacted) and the source that set it. */
  explain(): Provenance[] {
    const leaves: [string, unknown][] = [];
    flatten(this.toJSON(), "", leaves);
    return leaves.map(([path, value]) => ({ path, value, source: this.sourceOf(path) }));
  }

  /**
   * The whole configuration as plain data, fit to print: API keys shown as `SecretStr(REDACTED)`,
   * MCP `env` values and `headers` as `***`, credentials in URLs (`redis_url`, `base_url`, MCP
   * `url`: userinfo, `api-key`/`key`/`token`/`sig` query parameters) as `***`.
   */
  toJSON(): Record<string, unknown> {
    const plain: Record<string, unknown> = {};
    for (const key of [
      "llm",
      "agent",
      "embedding",
      "reranker",
      "debug",
      "templates",
      "template_manager",
      "routing",
      "general",
      "emitter",
      "ext",
      "mcp",
      "gateway",
    ] as const) {
      plain[key] = redactConfigValue([key], redact(key === "ext" ? this.#ext : this[key]));
    }
    return plain;
  }
}

/** The agent variants, for callers that list them. */
