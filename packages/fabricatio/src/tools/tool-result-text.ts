type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** What a function tool returned, as a tool message's text: a string as is, anything else as JSON. */
export function functionResultText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value) ?? String(value);
}

function partText(part: unknown): string {
  if (!isObject(part)) return "";
  switch (part.type) {
    case "text":
      return typeof part.text === "string" ? part.text : "";
    case "resource": {
      const resource = isObject(part.resource) ? part.resource : {};
      if (typeof resource.text === "string") return resource.text;
      return `[resource ${String(resource.uri ?? "")}]`;
    }
    case "resource_link":
      return `[resource ${String(part.uri ?? "")}]`;
    default:
      // Images and audio have no text form; the model learns that one was returned.
      return `[${String(part.type)}${typeof part.mimeType === "string" ? ` ${part.mimeType}` : ""}]`;
  }
}

/**
 * An MCP tool result as a tool message's text: its text parts joined by newlines (other parts
 * named), or its `structuredContent` as JSON when it has no content; `isError` as the server said.
 */
export function mcpResultText(result: unknown): { content: string; isError: boolean } {
  const record = isObject(result) ? result : {};
  const parts = Array.isArray(record.content) ? record.content : [];
  let content = parts
    .map(partText)
    .filter((text) => text !== "")
    .join("\n");
  if (content === "" && record.structuredContent !== undefined) {
    content = JSON.stringify(record.structuredContent);
  }
  if (content === "" && record.toolResult !== undefined) {
    content = functionResultText(record.toolResult);
  }
  return { content, isError: record.isError === true };
}
