import { redactSecrets } from "@fabricatio/logger";
import { isThrydError } from "@fabricatio/thryd";
import { isGatewayError } from "../errors/gateway-error.js";

/** An error answer in OpenAI's shape, with its HTTP status and headers. */
export interface OpenAIErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: {
    error: { message: string; type: string; param: string | null; code: string | null };
  };
}

/** The status a request gets when its client went away: logged, never sent. */
export const CLIENT_CLOSED_STATUS = 499;

const TYPES: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  404: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  429: "rate_limit_error",
  502: "upstream_error",
  503: "service_unavailable",
  504: "timeout_error",
};

// Upstream statuses that say the request itself was wrong; everything else is the gateway's
// upstream failing (502), whatever status the provider chose.
const CALLER_FAULT = new Set([400, 413, 422]);

const retryAfter = (ms: number): Record<string, string> =>
  Number.isFinite(ms) && ms > 0 ? { "retry-after": String(Math.ceil(ms / 1000)) } : {};

function answer(
  status: number,
  message: string,
  options: { code?: string; param?: string; type?: string; headers?: Record<string, string> } = {},
): OpenAIErrorAnswer {
  return {
    status,
    headers: options.headers ?? {},
    body: {
      error: {
        // Upstream bodies quote whatever the provider echoed: a key must not travel back.
        message: redactSecrets(message),
        type: options.type ?? TYPES[status] ?? "server_error",
        param: options.param ?? null,
        code: options.code ?? null,
      },
    },
  };
}

type Fields = Record<string, unknown>;

function fromThryd(error: Fields & { code: string; message: string }, nowMs: number) {
  const message = error.message;
  switch (error.code) {
    case "THRYD_INVALID_REQUEST":
    case "THRYD_UNSUPPORTED_FEATURE":
      return answer(400, message, { param: error.field as string, code: "invalid_value" });
    case "THRYD_CONTEXT_WINDOW_EXCEEDED":
      return answer(400, message, { param: "messages", code: "context_length_exceeded" });
    case "THRYD_CONTENT_FILTERED":
      return answer(400, message, { code: "content_filter" });
    case "THRYD_UNKNOWN_GROUP":
      return answer(404, message, { param: "model", code: "model_not_found" });
    case "THRYD_RATE_LIMIT_EXCEEDED": {
      const waitMs = error.waitTimeMs as number;
      if (!Number.isFinite(waitMs)) return answer(400, message, { code: "tokens_exceed_limit" });
      return answer(429, message, { code: "rate_limit_exceeded", headers: retryAfter(waitMs) });
    }
    case "THRYD_BUDGET_EXCEEDED":
      return answer(429, message, {
        type: "insufficient_quota",
        code: "budget_exceeded",
        headers: retryAfter((error.resetsAtMs as number) - nowMs),
      });
    case "THRYD_CIRCUIT_OPEN":
      return answer(503, message, {
        code: "circuit_open",
        headers: retryAfter((error.retryAtMs as number) - nowMs),
      });
    case "THRYD_RATE_LIMIT_STORE":
      return answer(503, message, { code: "rate_limit_store_unavailable" });
    case "THRYD_API_ERROR": {
      const status = error.status as number;
      if (CALLER_FAULT.has(status)) {
        return answer(400, `The upstream provider rejected the request: ${message}`, {
          code: "upstream_rejected",
        });
      }
      if (status === 429) {
        return answer(429, message, {
          code: "upstream_rate_limited",
          headers: retryAfter((error.retryAfterMs as number | undefined) ?? 0),
        });
      }
      return answer(502, message, { code: "upstream_error" });
    }
    case "THRYD_TIMEOUT":
    case "THRYD_STREAM_IDLE_TIMEOUT":
      return answer(504, message, { code: "upstream_timeout" });
    case "THRYD_FALLBACK_EXHAUSTED": {
      // The status of the last group's failure, the message of the whole chain.
      const last = toOpenAIError(error.cause, nowMs);
      return { ...last, body: { error: { ...last.body.error, message: redactSecrets(message) } } };
    }
    case "THRYD_ABORTED": {
      const cause = error.cause;
      if (isGatewayError(cause)) return toOpenAIError(cause, nowMs);
      return answer(CLIENT_CLOSED_STATUS, message, { code: "client_closed_request" });
    }
    default:
      // NETWORK, PARSE, SSE, INCOMPLETE_RESPONSE: the upstream failed to give a whole answer.
      return answer(502, message, { code: "upstream_error" });
  }
}

/**
 * Maps any error of a request to OpenAI's error answer: the gateway's own errors by their
 * `status`; thryd's by their `code` (a malformed request 400 naming the field, an unknown group
 * 404, rate limits and budgets 429 with `Retry-After`, open circuits and an unreachable limit
 * store 503, a provider's failure 502 — its 400/413/422 as 400 —, timeouts 504); Fastify's body
 * errors (413 too large, 400 bad JSON, 415 not JSON) by theirs; anything else 500. Every message
 * passes through `redactSecrets`.
 */
export function toOpenAIError(error: unknown, nowMs: number = Date.now()): OpenAIErrorAnswer {
  if (isGatewayError(error)) {
    const fields = error as unknown as Fields;
    switch (error.code) {
      case "GATEWAY_INVALID_REQUEST":
        return answer(400, error.message, {
          param: fields.param as string | undefined,
          code: "invalid_value",
        });
      case "GATEWAY_UNAUTHORIZED":
        return answer(401, error.message, { code: "invalid_api_key" });
      case "GATEWAY_MODEL_NOT_FOUND":
        return answer(404, error.message, { param: "model", code: "model_not_found" });
      case "GATEWAY_KEY_RATE_LIMIT":
        return answer(429, error.message, {
          code: "rate_limit_exceeded",
          headers: retryAfter(fields.retryAfterMs as number),
        });
      case "GATEWAY_KEY_BUDGET_EXCEEDED":
        return answer(429, error.message, {
          type: "insufficient_quota",
          code: "budget_exceeded",
          headers: retryAfter((fields.resetsAtMs as number) - nowMs),
        });
      case "GATEWAY_TIMEOUT":
        return answer(504, error.message, { code: "gateway_timeout" });
      case "GATEWAY_SHUTTING_DOWN":
        return answer(503, error.message, { code: "shutting_down" });
      default:
        return answer(error.status, error.message);
    }
  }
  if (isThrydError(error)) return fromThryd(error as unknown as Fields & typeof error, nowMs);
  const fields = (error ?? {}) as Fields;
  const status = fields.statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof status === "number" && status >= 400 && status < 500) {
    return answer(status, message, {
      code: typeof fields.code === "string" ? fields.code.toLowerCase() : undefined,
    });
  }
  return answer(500, message, { type: "server_error", code: "internal_error" });
}
