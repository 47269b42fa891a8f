import type { JsonSchema } from "@fabricatio/thryd";
import type {
  StandardJsonSchema,
  ToolArguments,
  ToolDefinition,
  ToolExecutionContext,
} from "./types.js";

/**
 * A function tool for `runTools`, with `execute`'s arguments typed from `parameters`: a zod
 * schema gives its output type, a JSON Schema object `Record<string, unknown>`. Returns the
 * definition unchanged.
 */
export function defineTool<S extends JsonSchema | StandardJsonSchema>(definition: {
  readonly name: string;
  readonly description?: string;
  readonly parameters: S;
  execute(args: ToolArguments<S>, context: ToolExecutionContext): unknown;
}): ToolDefinition<ToolArguments<S>> {
  return definition as ToolDefinition<ToolArguments<S>>;
}
