/** A node of a parsed card template, as Anki's template parser builds it. */
export type TemplateNode =
  | { kind: "text"; text: string }
  | { kind: "comment"; text: string }
  | { kind: "replacement"; key: string; filters: string[] }
  | { kind: "conditional"; key: string; children: TemplateNode[] }
  | { kind: "negated"; key: string; children: TemplateNode[] };

/** Why a template does not parse, in Anki's terms. */
export class TemplateSyntaxError extends Error {}

const ALT_SYNTAX_DIRECTIVE = "{{=<% %>=}}";
const COMMENT_START = "<!--";
const COMMENT_END = "-->";

type Token =
  | { kind: "text"; text: string }
  | { kind: "comment"; text: string }
  | { kind: "replacement"; text: string }
  | { kind: "open"; text: string }
  | { kind: "negated"; text: string }
  | { kind: "close"; text: string };

function classify(inner: string): Token {
  const start = inner.replace(/^\{+/, "").trim();
  if (start.length < 2) return { kind: "replacement", text: start };
  const rest = start.slice(1).trimStart();
  if (start.startsWith("#")) return { kind: "open", text: rest };
  if (start.startsWith("/")) return { kind: "close", text: rest };
  if (start.startsWith("^")) return { kind: "negated", text: rest };
  return { kind: "replacement", text: start };
}

function* tokenize(source: string): Generator<Token> {
  let template = source;
  let [open, close] = ["{{", "}}"];
  if (template.trimStart().startsWith(ALT_SYNTAX_DIRECTIVE)) {
    template = template.trimStart().slice(ALT_SYNTAX_DIRECTIVE.length);
    [open, close] = ["<%", "%>"];
  }
  let index = 0;
  let textStart = 0;
  while (index < template.length) {
    let token: Token | undefined;
    let end = index;
    if (template.startsWith(open, index)) {
      const closing = template.indexOf(close, index + open.length);
      if (closing >= 0) {
        token = classify(template.slice(index + open.length, closing));
        end = closing + close.length;
      }
    }
    if (!token && template.startsWith(COMMENT_START, index)) {
      const closing = template.indexOf(COMMENT_END, index + COMMENT_START.length);
      if (closing >= 0) {
        token = { kind: "comment", text: template.slice(index + COMMENT_START.length, closing) };
        end = closing + COMMENT_END.length;
      }
    }
    if (token) {
      if (index > textStart) yield { kind: "text", text: template.slice(textStart, index) };
      yield token;
      index = end;
      textStart = end;
    } else {
      index += 1;
    }
  }
  if (template.length > textStart) yield { kind: "text", text: template.slice(textStart) };
}

function parseNodes(tokens: Iterator<Token>, openTag: string | undefined): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  for (let next = tokens.next(); !next.done; next = tokens.next()) {
    const token = next.value;
    switch (token.kind) {
      case "text":
      case "comment":
        nodes.push({ kind: token.kind, text: token.text });
        break;
      case "replacement": {
        // `{{a:b:Field}}`: the field is after the last colon; filters apply innermost first.
        const parts = token.text.split(":");
        const key = parts.pop()!;
        nodes.push({ kind: "replacement", key, filters: parts.reverse() });
        break;
      }
      case "open":
        nodes.push({
          kind: "conditional",
          key: token.text,
          children: parseNodes(tokens, token.text),
        });
        break;
      case "negated":
        nodes.push({ kind: "negated", key: token.text, children: parseNodes(tokens, token.text) });
        break;
      case "close":
        if (openTag === token.text) return nodes;
        throw new TemplateSyntaxError(
          openTag === undefined
            ? `{{/${token.text}}} closes a section that was never opened with {{#${token.text}}} or {{^${token.text}}}`
            : `{{/${token.text}}} found where {{/${openTag}}} was expected`,
        );
    }
  }
  if (openTag !== undefined)
    throw new TemplateSyntaxError(
      `{{#${openTag}}} or {{^${openTag}}} is never closed with {{/${openTag}}}`,
    );
  return nodes;
}

/**
 * Parses a card template as Anki does: `{{Field}}`, `{{filter:Field}}`, `{{#Field}}…{{/Field}}`,
 * `{{^Field}}…{{/Field}}`, HTML comments (whose content is not parsed) and the legacy
 * `{{=<% %>=}}` syntax.
 * @throws {TemplateSyntaxError} for a section that is not closed, or closed by another name
 */
export function parseTemplate(template: string): TemplateNode[] {
  return parseNodes(tokenize(template), undefined);
}

/**
 * The names a template refers to, as Anki's `find_field_references` collects them: replacements
 * and (unless `withConditionals` is false) section names, except cloze sections `{{#c1}}`.
 */
export function referencedNames(
  nodes: readonly TemplateNode[],
  {
    clozeOnly = false,
    withConditionals = true,
  }: { clozeOnly?: boolean; withConditionals?: boolean } = {},
): Set<string> {
  const names = new Set<string>();
  const visit = (list: readonly TemplateNode[]) => {
    for (const node of list) {
      if (node.kind === "replacement") {
        if (!clozeOnly || node.filters.includes("cloze")) names.add(node.key);
      } else if (node.kind === "conditional" || node.kind === "negated") {
        if (withConditionals && !isClozeConditional(node.key)) names.add(node.key);
        visit(node.children);
      }
    }
  };
  visit(nodes);
  return names;
}

/** `c1`, `c12`: a section on a cloze number, which Anki allows without a field of that name. */
export function isClozeConditional(key: string): boolean {
  return /^c\d+$/.test(key);
}
