import { z } from "zod";

/** Provider types the router supports for `routing.providers[].ptype`. */
export const PROVIDER_TYPES = [
  "OpenAI",
  "OpenAICompatible",
  "Anthropic",
  "Gemini",
  "Dummy",
] as const;

const optionalString = z.string().optional();
const price = z.number().min(0, "must be 0 or more").optional();
const quota = z
  .number()
  .int("must be a whole number")
  .positive("must be a positive integer")
  .optional();

const llmSchema = z
  .object({
    send_to: optionalString.describe(
      "Default completion group, or an agent variant (tiny, smol, task, slow, plan).",
    ),
    no_cache: z.boolean().optional().describe("Skip cache reads for completions."),
    temperature: z
      .number()
      .min(0, "must be between 0 and 2")
      .max(2, "must be between 0 and 2")
      .optional(),
    top_p: z
      .number()
      .min(0, "must be between 0 and 1")
      .max(1, "must be between 0 and 1")
      .optional(),
    stream: z.boolean().default(false),
    max_completion_tokens: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .optional(),
    presence_penalty: z
      .number()
      .min(-2, "must be between -2 and 2")
      .max(2, "must be between -2 and 2")
      .optional(),
    frequency_penalty: z
      .number()
      .min(-2, "must be between -2 and 2")
      .max(2, "must be between -2 and 2")
      .optional(),
    effort: optionalString.describe("Reasoning effort, sent as reasoning_effort."),
  })
  .describe("Default parameters of completion requests.");

const agentSchema = z
  .object({
    tiny: optionalString,
    smol: optionalString,
    task: optionalString,
    slow: optionalString,
    plan: optionalString,
  })
  .describe("The completion group each agent variant resolves to.");

const embeddingSchema = z.object({
  send_to: optionalString,
  no_cache: z.boolean().optional(),
  ndim: z.number().int().min(1, "must be at least 1").optional(),
  max_batch_emb_size: z.number().int().min(1, "must be at least 1").optional(),
});

const rerankerSchema = z.object({ send_to: optionalString, no_cache: z.boolean().optional() });

const debugSchema = z.object({
  log_level: z.string().default("INFO"),
  log_dir: optionalString,
  rotation: z
    .enum(["never", "minutely", "hourly", "daily"], "must be never, minutely, hourly or daily")
    .optional(),
});

/** The 13 template keys of `[templates]`, each defaulting to `built-in/<name>`. */
export const TEMPLATE_NAMES = [
  "mapping",
  "task_briefing",
  "dependencies",
  "make_choice",
  "make_enum_choice",
  "make_judgment",
  "code_string",
  "code_snippet",
  "generic_string",
  "co_validation",
  "liststr",
  "pathstr",
  "create_json_obj",
] as const;

const templatesSchema = z.object(
  Object.fromEntries(
    TEMPLATE_NAMES.map((name) => [`${name}_template`, z.string().default(`built-in/${name}`)]),
  ) as {
    [K in (typeof TEMPLATE_NAMES)[number] as `${K}_template`]: z.ZodDefault<z.ZodString>;
  },
);

function templateManagerSchema(defaultStores: readonly string[]) {
  return z.object({
    template_stores: z.array(z.string()).default([...defaultStores]),
    active_loading: z.boolean().default(false),
    template_suffix: z.string().default("hbs"),
  });
}

const timeoutS = z.number().positive("must be a positive number (seconds)").optional();

const providerSchema = z.object({
  ptype: z.enum(PROVIDER_TYPES, `must be one of ${PROVIDER_TYPES.join(", ")}`),
  name: optionalString,
  key: optionalString.describe("API key; held as a SecretStr and never printed."),
  keys: z
    .array(z.string().min(1, "must not be empty"))
    .min(1, "must hold at least one key")
    .optional()
    .describe(
      "Several API keys rotated round-robin (a key pool); each held as a SecretStr. New, not in the original.",
    ),
  key_cooldown_s: z
    .number()
    .positive("must be a positive number")
    .optional()
    .describe(
      "Seconds a pool key answered 401/429 sits out (default 60). New, not in the original.",
    ),
  base_url: z.url("must be a valid URL").optional(),
  rerank_path: z
    .string()
    .min(1, "must not be empty")
    .optional()
    .describe(
      'Path of the rerank endpoint under base_url for OpenAI-compatible providers (default "rerank"; Voyage and Jina use "rerank" too, some gateways "v1/rerank"). New, not in the original.',
    ),
  request_timeout_s: timeoutS.describe(
    "Time limit of one HTTP attempt to this provider, in seconds (default: [routing] request_timeout_s).",
  ),
  stream_idle_timeout_s: timeoutS.describe(
    "Longest silence inside a streamed answer from this provider, in seconds (default: [routing] stream_idle_timeout_s).",
  ),
});

const deploymentSchema = z.object({
  id: z.string().regex(/^[^/\s]+\/\S.*$/, 'must have the form "provider/model"'),
  group: z.string().min(1, "must not be empty"),
  tpm: quota,
  rpm: quota,
  window_s: z
    .number()
    .int("must be a whole number")
    .positive("must be a positive integer")
    .optional()
    .describe("Length of the rate-limit window in seconds (default 60); new, not in the original."),
  context_window: quota.describe(
    "Largest request (prompt plus max_completion_tokens) the model takes, in tokens; new.",
  ),
  input_price_per_mtok: price.describe("USD per million prompt tokens; new."),
  output_price_per_mtok: price.describe("USD per million completion tokens; new."),
});

const budgetSchema = z.object({
  group: z.string().min(1, "must not be empty"),
  limit_usd: z.number().positive("must be a positive number"),
  period_s: z
    .number()
    .positive("must be a positive number")
    .default(86_400)
    .describe("Length of the budget period in seconds, aligned to the epoch (default one day)."),
});

const routingSchema = z.object({
  providers: z.array(providerSchema).default([]),
  completion_deployments: z.array(deploymentSchema).default([]),
  embedding_deployments: z.array(deploymentSchema).default([]),
  reranker_deployments: z.array(deploymentSchema).default([]),
  cache_database_path: optionalString,
  retry_max_retries: z.number().int().min(0, "must be 0 or more").optional(),
  retry_initial_backoff_ms: z.number().int().min(0, "must be 0 or more").optional(),
  retry_max_backoff_ms: z.number().int().min(0, "must be 0 or more").optional(),
  retry_backoff_multiplier: z.number().min(1, "must be at least 1").optional(),
  request_timeout_s: timeoutS.describe(
    "Time limit of one HTTP attempt (headers and body), in seconds (default 600). New, not in the original.",
  ),
  stream_idle_timeout_s: timeoutS.describe(
    "Longest silence between two chunks of a streamed answer, in seconds (default 60). New.",
  ),
  retry_after_max_s: timeoutS.describe(
    "Longest Retry-After the router waits for before it retries, in seconds (default 60). New.",
  ),
  fallbacks: z
    .record(z.string(), z.array(z.string().min(1, "must not be empty")))
    .default({})
    .describe("Per group, the groups tried in order when it fails; new."),
  context_window_fallbacks: z
    .record(z.string(), z.string().min(1, "must not be empty"))
    .default({})
    .describe("Per group, the group taking requests larger than every context_window; new."),
  circuit_breaker: z
    .boolean()
    .default(false)
    .describe("Leave failing deployments out of routing for a cooldown; new."),
  circuit_breaker_failure_threshold: quota.describe(
    "Consecutive failures that open a deployment's circuit (default 5).",
  ),
  circuit_breaker_cooldown_ms: z
    .number()
    .int("must be a whole number")
    .positive("must be a positive integer")
    .optional()
    .describe("How long an open circuit stays open, in ms (default 30000)."),
  coalesce: z
    .boolean()
    .default(false)
    .describe("Concurrent identical requests share one upstream call; new."),
  strip_reasoning: z
    .boolean()
    .default(false)
    .describe("Remove <think>…</think> blocks from completion text; new."),
  budgets: z.array(budgetSchema).default([]).describe("Spending limits per group; new."),
  metrics: z.boolean().default(false).describe("Collect per-deployment metrics; new."),
  tracing: z
    .boolean()
    .default(false)
    .describe("OpenTelemetry spans (GenAI conventions) per model call; new."),
  rate_limit_store: z
    .enum(["memory", "redis"], "must be memory or redis")
    .default("memory")
    .describe("Where RPM/TPM quotas live; redis shares them between processes. New."),
  cache_store: z
    .enum(["sqlite", "redis"], "must be sqlite or redis")
    .default("sqlite")
    .describe("Where cached answers live; redis shares them between processes. New."),
  cache_memory_max_entries: z
    .number()
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .optional()
    .describe(
      "Answers kept in process memory in front of the cache store; 0 turns the memory tier off (default 1000). New.",
    ),
  cache_memory_ttl_s: z
    .number()
    .positive("must be a positive number")
    .optional()
    .describe(
      "Seconds an answer stays in process memory before the cache store is read again; another process's newer answer is seen within this time (default 30). New.",
    ),
  redis_url: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, "must be a redis:// or rediss:// URL")
    .optional()
    .describe("Redis server of the redis rate-limit store and cache; new."),
  rate_limit_key_prefix: z
    .string()
    .min(1, "must not be empty")
    .optional()
    .describe('Prefix of the quota keys in Redis (default "thryd:rl:").'),
  rate_limit_reservation_ttl_ms: z
    .number()
    .int("must be a whole number")
    .positive("must be a positive integer")
    .optional()
    .describe(
      "How long a request in flight holds quota in Redis if its process dies (default max(window, 10 min)).",
    ),
});

const gatewayKeySchema = z.object({
  key: z
    .string()
    .min(16, "must be at least 16 characters")
    .describe(
      "A key callers send as `Authorization: Bearer <key>`; held as a SecretStr, compared in constant time.",
    ),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1 to 64 letters, digits, _ . : or -")
    .optional()
    .describe(
      "The key's name in access logs and in the shared limit keys (default: a hash of the key).",
    ),
  groups: z
    .array(z.string().min(1, "must not be empty"))
    .optional()
    .describe("Routing groups the key may call (default: every group)."),
  rpm: quota.describe("Requests per minute the key may send (default: unlimited)."),
  budget_usd: z
    .number()
    .positive("must be a positive number")
    .optional()
    .describe("USD the key may spend per budget period, at the deployments' prices."),
  budget_period_s: z
    .number()
    .positive("must be a positive number")
    .default(86_400)
    .describe(
      "Length of the key's budget period in seconds, aligned to the epoch (default one day).",
    ),
});

const gatewaySchema = z
  .object({
    host: z
      .string()
      .min(1, "must not be empty")
      .default("127.0.0.1")
      .describe("Interface `fabricatio serve` listens on; loopback only while no key is set."),
    port: z
      .number()
      .int("must be a whole number")
      .min(0, "must be between 0 and 65535")
      .max(65_535, "must be between 0 and 65535")
      .default(4000)
      .describe("TCP port of `fabricatio serve` (0: any free port)."),
    keys: z
      .array(gatewayKeySchema)
      .default([])
      .describe("Keys callers must present; none: no authentication, loopback only."),
    body_limit_bytes: z
      .number()
      .int("must be a whole number")
      .positive("must be a positive integer")
      .default(10 * 1024 * 1024)
      .describe("Largest request body accepted, in bytes (default 10 MiB); larger gets 413."),
    request_timeout_s: timeoutS
      .default(600)
      .describe(
        "Time limit of one request, a stream included, in seconds (default 600); then 504.",
      ),
    max_wait_s: z
      .number()
      .min(0, "must be 0 or more")
      .default(10)
      .describe(
        "Longest wait for rate-limit room before answering 429 with Retry-After, in seconds (default 10).",
      ),
    shutdown_timeout_s: timeoutS
      .default(30)
      .describe(
        "On SIGTERM, how long in-flight requests and streams may finish, in seconds (default 30).",
      ),
    access_log: z.boolean().default(true).describe("One structured log line per request (INFO)."),
    log_prompts: z
      .boolean()
      .default(false)
      .describe(
        "Add the request's messages to access log lines (off: prompts never reach the logs).",
      ),
  })
  .superRefine((gateway, context) => {
    const seen = new Map<string, number>();
    gateway.keys.forEach((entry, index) => {
      for (const [field, value] of [
        ["key", entry.key],
        ["name", entry.name],
      ] as const) {
        if (value === undefined) continue;
        const first = seen.get(`${field}:${value}`);
        if (first === undefined) seen.set(`${field}:${value}`, index);
        else {
          context.addIssue({
            code: "custom",
            path: ["keys", index, field],
            input: field === "key" ? undefined : value,
            message: `is the same as keys[${first}].${field}; each key needs its own`,
          });
        }
      }
    });
  });

/** One MCP server, as in `[mcp.servers.<name>]` and the original's `[ext.tool] mcp_servers`. */
export const mcpServerSchema = z.object({
  type: z.enum(["stdio", "stream", "sse"], "must be stdio, stream or sse").default("stdio"),
  command: optionalString,
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.unknown()).optional(),
  cwd: optionalString,
  url: z.url("must be a valid URL").optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** The schema of a whole `fabricatio.toml`, given the default template stores. */
export function configSchema(defaultTemplateStores: readonly string[]) {
  return z.object({
    llm: llmSchema.prefault({}),
    agent: agentSchema.prefault({}),
    embedding: embeddingSchema.prefault({}),
    reranker: rerankerSchema.prefault({}),
    debug: debugSchema.prefault({}),
    templates: templatesSchema.prefault({}),
    template_manager: templateManagerSchema(defaultTemplateStores).prefault({}),
    routing: routingSchema
      .superRefine((routing, context) => {
        const needsRedis = routing.rate_limit_store === "redis" || routing.cache_store === "redis";
        if (needsRedis && routing.redis_url === undefined) {
          context.addIssue({
            code: "custom",
            path: ["redis_url"],
            input: undefined,
            message: "is required when rate_limit_store or cache_store is redis",
          });
        }
      })
      .prefault({}),
    gateway: gatewaySchema.prefault({}),
    general: z.object({ use_json_repair: z.boolean().default(true) }).prefault({}),
    emitter: z.object({ delimiter: z.string().default("::") }).prefault({}),
    ext: z.record(z.string(), z.unknown()).default({}),
    mcp: z
      .object({
        servers: z.record(z.string(), mcpServerSchema).default({}),
        connect_timeout_s: timeoutS.describe(
          "Time limit of connecting to one server (start plus handshake), in seconds (default 30). New.",
        ),
      })
      .prefault({}),
  });
}

/** The top-level tables a fabricatio.toml may hold. */
export const SECTION_NAMES = Object.keys(configSchema([]).shape);

type RawConfig = z.output<ReturnType<typeof configSchema>>;

/** `[llm]`: default parameters of completion requests. */
export type LlmConfig = RawConfig["llm"];
/** `[agent]`: the group each agent variant resolves to. */
export type AgentConfig = RawConfig["agent"];
/** `[embedding]`: default parameters of embedding requests. */
export type EmbeddingConfig = RawConfig["embedding"];
/** `[reranker]`: default parameters of rerank requests. */
export type RerankerConfig = RawConfig["reranker"];
/** `[debug]`: logging. */
export type DebugConfig = RawConfig["debug"];
/** `[templates]`: template names of the core helpers. */
export type TemplatesConfig = RawConfig["templates"];
/** `[template_manager]`: where templates are found. */
export type TemplateManagerConfig = RawConfig["template_manager"];
/** `[general]`. */
export type GeneralConfig = RawConfig["general"];
/** `[emitter]`. */
export type EmitterConfig = RawConfig["emitter"];
/** One MCP server of `[mcp.servers.<name>]`. */
export type McpServerConfig = RawConfig["mcp"]["servers"][string];
/** `[mcp]`: the MCP servers the manager connects to. */
export type McpConfig = RawConfig["mcp"];
/** One deployment of `routing.*_deployments`. */
export type DeploymentConfig = RawConfig["routing"]["completion_deployments"][number];
/** One provider of `routing.providers`; the keys are `SecretStr`s. */
export type ProviderConfig = Omit<RawConfig["routing"]["providers"][number], "key" | "keys"> & {
  key?: import("./secret-str.js").SecretStr;
  keys?: import("./secret-str.js").SecretStr[];
};
/** `[routing]`: providers, deployments, cache and retries. */
export type RoutingConfig = Omit<RawConfig["routing"], "providers"> & {
  providers: ProviderConfig[];
};
/** One caller key of `gateway.keys`; the key is a `SecretStr`. */
export type GatewayKeyConfig = Omit<RawConfig["gateway"]["keys"][number], "key"> & {
  key: import("./secret-str.js").SecretStr;
};
/** `[gateway]`: the OpenAI-compatible server of `fabricatio serve`. */
export type GatewayConfig = Omit<RawConfig["gateway"], "keys"> & { keys: GatewayKeyConfig[] };
/** A provider type the router supports. */
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Every section of the configuration, validated and with defaults applied. */
export interface ConfigSections extends Omit<RawConfig, "routing" | "gateway"> {
  routing: RoutingConfig;
  gateway: GatewayConfig;
}
