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
  | { type: "drop-mid-stream" };

/** One request as the mock received it. */
export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or `undefined` when there was none or it was not JSON. */
  body: unknown;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
}
