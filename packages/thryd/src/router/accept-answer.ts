import { ContentFilteredError, IncompleteResponseError } from "../errors/request-errors.js";
import type { CompletionResponse, ModelKind, ResponseOf } from "../types.js";
import { completionProblem } from "./response-shapes.js";

/**
 * Lets only a complete answer through, whichever model produced it (custom models included):
 * a completion needs its text, a known finish reason, an assistant message and a usage.
 * @throws {ContentFilteredError} for a `content_filter` finish
 * @throws {IncompleteResponseError} for anything else that is not a whole completion
 */
export function acceptAnswer<K extends ModelKind>(
  kind: K,
  response: ResponseOf<K>,
  what: string,
): ResponseOf<K> {
  if (kind !== "completion") return response;
  const completion = response as CompletionResponse;
  if (completion?.finish_reason === "content_filter") {
    const partial = typeof completion.content === "string" ? completion.content : "";
    throw new ContentFilteredError(what, "content_filter", partial);
  }
  const problem = completionProblem(completion);
  if (problem !== undefined) throw new IncompleteResponseError(what, problem);
  return response;
}
