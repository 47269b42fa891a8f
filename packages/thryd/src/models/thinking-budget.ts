import { UnsupportedFeatureError } from "../errors/request-errors.js";

/**
 * Thinking tokens per `effort` level, for the native APIs that take a token budget instead of
 * a level (Anthropic's `thinking.budget_tokens`, Gemini's `thinkingConfig.thinkingBudget`).
 * `none` turns thinking off. The steps follow OpenAI's levels; 1,024 is Anthropic's minimum.
 */
export const THINKING_BUDGET_TOKENS: Readonly<Record<string, number>> = Object.freeze({
  none: 0,
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
});

/**
 * The thinking budget in tokens for `effort`: a level of {@link THINKING_BUDGET_TOKENS}, or a
 * whole number of tokens written as digits (`"5000"`). `0` means thinking off.
 * @throws {UnsupportedFeatureError} for any other value, naming `effort` and `provider`
 */
export function thinkingBudgetOf(effort: string, provider: string): number {
  const level = THINKING_BUDGET_TOKENS[effort];
  if (level !== undefined && Object.hasOwn(THINKING_BUDGET_TOKENS, effort)) return level;
  if (/^\d{1,7}$/.test(effort)) return Number(effort);
  throw new UnsupportedFeatureError(
    "effort",
    provider,
    `"${effort}" is neither a level (${Object.keys(THINKING_BUDGET_TOKENS).join(", ")}) nor a token count`,
  );
}
