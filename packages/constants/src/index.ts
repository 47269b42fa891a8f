export type { AgentVariant } from "./agent-variants.js";
export {
  AGENT_VARIANT_VARNAMES,
  AGENT_VARIANTS,
  isAgentVariant,
  PLAN,
  PLAN_VARNAME,
  SLOW,
  SLOW_VARNAME,
  SMOL,
  SMOL_VARNAME,
  TASK,
  TASK_VARNAME,
  TINY,
  TINY_VARNAME,
} from "./agent-variants.js";
export {
  CONFIG_FILE,
  CONFIG_VARNAME,
  CORE_PACKAGE_NAME,
  LOGGER_VARNAME,
  NAME,
  PY_SOURCE_KEY,
  REPO_NAME,
  REPO_OWNER,
  ROUTER_VARNAME,
  TEMPLATE_MANAGER_VARNAME,
  TEMPLATES_DIRNAME,
} from "./names.js";
export type { PlatformPathOptions } from "./paths.js";
export { cacheDir, globalConfigFile, roamingDir, templatesDir } from "./paths.js";
export type { RetryPolicy } from "./router.js";
export {
  BUCKET_COUNT,
  BUCKET_SIZE_S,
  BUCKETS_WINDOW_S,
  DEFAULT_CACHE_TTL_S,
  DEFAULT_RETRY_POLICY,
  MINUTE_MS,
  SEPARATOR,
} from "./router.js";
