import type { Usage } from "@fabricatio/thryd";
import type { GatewayContext } from "./gateway-context.js";

/** What one access log line says about a request. */
export interface AccessRecord {
  method: string;
  route: string;
  status: number;
  startedAtMs: number;
  key?: string;
  group?: string;
  stream?: boolean;
  usage?: Usage;
  /** The error `code` of a failed request. */
  error?: string;
  /** The prompt, only when `log_prompts` is on. */
  prompt?: unknown;
}

/**
 * Counts the request for `/metrics` and writes its access log line (INFO, source
 * `gateway:access`): method, route, status, duration, key name, group, whether streamed, tokens,
 * cost and error code, and the prompt only when `log_prompts` is on.
 */
export function logAccess(context: GatewayContext, record: AccessRecord): void {
  context.counters.add(record.route, record.status);
  const logger = context.accessLogger;
  if (!logger?.isLevelEnabled("INFO")) return;
  const meta: Record<string, unknown> = {
    status: record.status,
    durationMs: Math.round((context.now() - record.startedAtMs) * 10) / 10,
  };
  if (record.key !== undefined) meta.key = record.key;
  if (record.group !== undefined) meta.group = record.group;
  if (record.stream) meta.stream = true;
  if (record.usage) {
    meta.promptTokens = record.usage.prompt_tokens;
    meta.completionTokens = record.usage.completion_tokens;
    if (record.usage.cost !== undefined) meta.costUsd = record.usage.cost;
  }
  if (record.error !== undefined) meta.error = record.error;
  if (context.logPrompts && record.prompt !== undefined) meta.prompt = record.prompt;
  logger.info(`${record.method} ${record.route} ${record.status}`, meta);
}
