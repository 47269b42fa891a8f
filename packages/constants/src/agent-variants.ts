/** The smallest, fastest and cheapest model: classification, yes/no checks, short rewrites. */
export const TINY = "tiny";
/** A lightweight model for simple, low-context work beyond `TINY`'s scope. */
export const SMOL = "smol";
/** The default workhorse: drafting, summarising, structured extraction, routine tool use. */
export const TASK = "task";
/** A larger model for harder reasoning and long contexts, accuracy over latency. */
export const SLOW = "slow";
/** The strongest model: planning, multi-step strategy, complex synthesis. */
export const PLAN = "plan";

/** Every agent variant, ordered by capability (and cost), cheapest first. */
export const AGENT_VARIANTS = [TINY, SMOL, TASK, SLOW, PLAN] as const;

/** One of the tiered model variants the LLM facade resolves to a configured group. */
export type AgentVariant = (typeof AGENT_VARIANTS)[number];

/** Whether `value` names an agent variant. Case-sensitive, as in the original. */
export function isAgentVariant(value: unknown): value is AgentVariant {
  return typeof value === "string" && (AGENT_VARIANTS as readonly string[]).includes(value);
}

/** Variable name of the `tiny` variant. */
export const TINY_VARNAME = "TINY";
/** Variable name of the `smol` variant. */
export const SMOL_VARNAME = "SMOL";
/** Variable name of the `task` variant. */
export const TASK_VARNAME = "TASK";
/** Variable name of the `slow` variant. */
export const SLOW_VARNAME = "SLOW";
/** Variable name of the `plan` variant. */
export const PLAN_VARNAME = "PLAN";

/** Variable name of each agent variant. */
export const AGENT_VARIANT_VARNAMES: Readonly<Record<AgentVariant, string>> = Object.freeze({
  tiny: TINY_VARNAME,
  smol: SMOL_VARNAME,
  task: TASK_VARNAME,
  slow: SLOW_VARNAME,
  plan: PLAN_VARNAME,
});
