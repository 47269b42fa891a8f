const MUSTACHE = /\{\{(?!!)([\s\S]*?)\}\}/g;
const DOUBLE_QUOTED = /"((?:[^"\\]|\\.)*)"/g;

/**
 * Template source whose double-quoted parameter literals have their JSON escapes applied (`\n`
 * becomes a newline, `\u00e9` an é), as handlebars-rust reads literals as JSON; JS Handlebars
 * would keep the backslashes. Text outside `{{…}}` and comments are left alone.
 */
export function applyLiteralEscapes(source: string): string {
  if (!source.includes("\\")) return source;
  return source.replace(MUSTACHE, (mustache) =>
    mustache.replace(DOUBLE_QUOTED, (literal) => {
      let value: unknown;
      try {
        value = JSON.parse(literal);
      } catch {
        return literal;
      }
      return typeof value === "string" ? `"${value.replaceAll('"', '\\"')}"` : literal;
    }),
  );
}
