/** What the mock does with one request. Unscripted requests get `{ type: "ok" }`. */
export type MockBehaviour =
  | {
      /** Answer normally. */
      type: "ok";
      /** Delay before the answer starts, in milliseconds. */
      latencyMs?: number;
      /** Completion text; defaults to `echo: <last user message>`. */
      content?: string;
      /** Leave the usage object out of the answer (and out of the final SSE chunk). */
      omitUsage?: boolean;
      /**
       * Reasoning sent before the answer: an Anthropic `thinking` block, a Gemini `thought: true`
       * part. The OpenAI routes ignore it.
       */
      reasoning?: string;
      /**
       * Tool calls the answer makes, in each dialect's own shape (OpenAI `tool_calls`, Anthropic
       * `tool_use` blocks, Gemini `functionCall` parts); streamed with the arguments split over
       * several chunks. `id` defaults to a generated one (Gemini sends none on the wire).
       */
      toolCalls?: readonly { id?: string; name: string; arguments: string }[];
      /**
       * The finish reason to report, in OpenAI's terms, mapped to each dialect's own (`length` →
       * Anthropic `max_tokens`, Gemini `MAX_TOKENS`; `content_filter` → Gemini `SAFETY`…).
       * @default "tool_calls" with toolCalls, else "stop"
       */
      finishReason?: "stop" | "length" | "tool_calls" | "content_filter";
      /**
       * OpenAI streams only: the pause before each SSE chunk after the first, in milliseconds, so
       * that a stream stays open long enough to be cancelled or drained. Writing stops when the
       * client goes away. @default 0 (every chunk at once)
       */
      chunkIntervalMs?: number;
    }
  | {
      /** Answer with an HTTP error status and a JSON error body. */
      type: "error";
      status: number;
      /** Value of the `Retry-After` header, in seconds. */
      retryAfterS?: number;
      /** Raw body; defaults to the error object of the route's API (OpenAI, Anthropic, Gemini). */
      body?: string;
      latencyMs?: number;
    }
  /** Accept the request and never answer (until the server closes). */
  | { type: "hang" }
  /** Answer 200 with a body that is not JSON. */
  | { type: "malformed"; latencyMs?: number }
  /** Destroy the socket without answering. */
  | { type: "drop"; latencyMs?: number }
  /** Start an SSE answer, send one delta, then destroy the socket. */
  | { type: "drop-mid-stream" }
  /** Start an SSE answer, send one delta, then send nothing more (until the server closes). */
  | { type: "stall-mid-stream" }
  /**
   * Answer in the route's dialect but end cleanly (no socket error) before the dialect's own
   * completion marker: an OpenAI stream without a finish reason or `[DONE]`, an Anthropic stream
   * without `message_stop`, a Gemini stream whose last chunk has no `finishReason`; for JSON
   * requests, a body without the finish reason.
   */
  | { type: "truncated"; latencyMs?: number }
  /** Answer exactly this status, content type and body (empty 200s, HTML pages, error JSON on 200…). */
  | { type: "raw"; status?: number; contentType?: string; body: string; latencyMs?: number };

/** One request as the mock received it. */
export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or `undefined` when there was none or it was not JSON. */
  body: unknown;
  /** The body exactly as received (UTF-8), `""` when there was none. */
  rawBody: string;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
}

/**
 * How a dialect cuts an `ok` answer: `truncate` leaves out the dialect's own completion marker
 * (the `truncated` behaviour).
 */
export interface AnswerShape {
  truncate?: boolean;
}
