import ts from "typescript";

/** A string literal of a snippet holding a non-ASCII ellipsis. */
export interface Placeholder {
  /** Line inside the snippet, 1-based. */
  readonly line: number;
  readonly text: string;
}

/**
 * String literals that hold `…`: placeholders (`"sk-…"`, `"Bearer …"`) that a reader copies, and
 * that fail at run time (undici refuses a header that is not a ByteString). Comments may use `…`
 * freely; strings must spell placeholders in ASCII (`"sk-your-key"`).
 */
export function findPlaceholders(code: string): Placeholder[] {
  const file = ts.createSourceFile("snippet.ts", code, ts.ScriptTarget.Latest, true);
  const found: Placeholder[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      node.text.includes("…")
    ) {
      found.push({
        line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
        text: node.getText(file),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
