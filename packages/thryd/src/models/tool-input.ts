import { InvalidRequestError } from "../errors/request-errors.js";

/**
 * The arguments object (Anthropic `input`, Gemini `args`) of a tool call's JSON arguments (`""` is `{}`).
 * @throws {InvalidRequestError} naming `field` when the text is not a JSON object
 */
export function toolInputOf(argumentsJson: string, field: string): Record<string, unknown> {
  if (argumentsJson.trim() === "") return {};
  let input: unknown;
  try {
    input = JSON.parse(argumentsJson);
  } catch (error) {
    throw new InvalidRequestError(field, `is not valid JSON (${(error as Error).message})`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InvalidRequestError(field, "must be a JSON object");
  }
  return input as Record<string, unknown>;
}
