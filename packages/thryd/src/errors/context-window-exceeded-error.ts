import { ThrydError } from "./thryd-error.js";

/**
 * The request's estimated tokens exceed the declared `contextWindow` of every deployment of the
 * group, and no `contextWindowFallbacks` group takes it.
 */
export class ContextWindowExceededError extends ThrydError {
  override readonly code = "THRYD_CONTEXT_WINDOW_EXCEEDED";
  readonly group: string;
  /** Estimated tokens of the request (prompt plus `max_completion_tokens`). */
  readonly tokens: number;
  /** The largest declared context window in the group. */
  readonly largestWindow: number;
  constructor(group: string, tokens: number, largestWindow: number) {
    super(
      `The request needs about ${tokens} tokens, more than the largest context window (${largestWindow}) of group "${group}"`,
    );
    this.group = group;
    this.tokens = tokens;
    this.largestWindow = largestWindow;
  }
}
