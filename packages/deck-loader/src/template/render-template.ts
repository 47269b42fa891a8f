import { createHash } from "node:crypto";
import { TemplateError } from "../errors/template-error.js";
import { fieldIsEmpty, stripHtmlTags } from "../text/strip-html.js";
import { clozeFilter, clozeOnlyFilter } from "./cloze.js";
import {
  isClozeConditional,
  parseTemplate,
  type TemplateNode,
  TemplateSyntaxError,
} from "./parse-template.js";

/** Options of {@link renderTemplate}. */
export interface RenderTemplateOptions {
  /** The card's ordinal: which cloze number (ordinal + 1) the `cloze` filter hides. @default 0 */
  cardOrdinal?: number;
  /** The question side hides clozes; the answer side reveals them. @default "question" */
  side?: "question" | "answer";
  /** What `{{FrontSide}}` becomes (the rendered question, on the answer side). @default "" */
  frontSide?: string;
  /** Names the template in errors. @default "template" */
  path?: string;
}

/** Anki's special fields, which every template may use without a field of that name. */
export const SPECIAL_FIELDS: ReadonlySet<string> = new Set([
  "FrontSide",
  "Card",
  "CardFlag",
  "Deck",
  "Subdeck",
  "Tags",
  "Type",
]);

/** The filters Anki itself applies; any other is left to add-ons and does nothing here. */
export const KNOWN_FILTERS: ReadonlySet<string> = new Set([
  "text",
  "hint",
  "type",
  "cloze",
  "cloze-only",
  "furigana",
  "kana",
  "kanji",
  "nc",
  "",
]);

const FURIGANA = / ?([^ >]+?)\[(.+?)\]/g;

function ruby(text: string, pick: (base: string, reading: string) => string): string {
  return text
    .replaceAll("&nbsp;", " ")
    .replace(FURIGANA, (whole, base: string, reading: string) =>
      reading.startsWith("sound:") ? whole : pick(base, reading),
    );
}

function hint(text: string, fieldName: string): string {
  if (text.trim() === "") return text;
  // Anki derives the element id from a BLAKE3 hash, which Node lacks; any stable id works.
  const id = createHash("sha256").update(text).update(fieldName).digest("hex").slice(0, 16);
  return `
<a class=hint href="#"
onclick="this.style.display='none';
document.getElementById('hint${id}').style.display='block';
return false;" draggable=false>
${fieldName}</a>
<div id="hint${id}" class=hint style="display: none">${text}</div>
`;
}

function applyFilters(
  text: string,
  filters: readonly string[],
  fieldName: string,
  options: Required<Pick<RenderTemplateOptions, "cardOrdinal" | "side">>,
): string {
  const question = options.side === "question";
  // Anki maps `type:cloze:` and `type:nc:` specially, and any chain ending in `type` to `type`.
  if (filters.at(-1) === "type") {
    if (filters.length === 2 && filters[0] === "cloze") return `[[type:cloze:${fieldName}]]`;
    if (filters.length === 2 && filters[0] === "nc") return `[[type:nc:${fieldName}]]`;
    return `[[type:${fieldName}]]`;
  }
  let output = text;
  for (const filter of filters) {
    if (filter === "text") output = stripHtmlTags(output);
    else if (filter === "hint") output = hint(output, fieldName);
    else if (filter === "cloze") output = clozeFilter(output, options.cardOrdinal, question);
    else if (filter === "cloze-only")
      output = clozeOnlyFilter(output, options.cardOrdinal, question);
    else if (filter === "furigana")
      output = ruby(output, (base, reading) => `<ruby><rb>${base}</rb><rt>${reading}</rt></ruby>`);
    else if (filter === "kana") output = ruby(output, (_, reading) => reading);
    else if (filter === "kanji") output = ruby(output, (base) => base);
    else if (filter.startsWith("tts "))
      output = `[anki:tts lang=${filter.slice(4)}]${output}[/anki:tts]`;
  }
  return output;
}

function render(
  nodes: readonly TemplateNode[],
  fields: Readonly<Record<string, string>>,
  nonEmpty: ReadonlySet<string>,
  options: Required<RenderTemplateOptions>,
): string {
  let output = "";
  const condition = (key: string): boolean => {
    if (nonEmpty.has(key)) return true;
    if (Object.hasOwn(fields, key) || isClozeConditional(key) || SPECIAL_FIELDS.has(key))
      return false;
    throw new TemplateError(options.path, `{{#${key}}} refers to a field the note type lacks`);
  };
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        output += node.text;
        break;
      case "comment":
        output += `<!--${node.text}-->`;
        break;
      case "replacement":
        if (node.key === "FrontSide") output += options.frontSide;
        else if (node.key === "" && node.filters.length > 0) output += "";
        else if (!Object.hasOwn(fields, node.key) && SPECIAL_FIELDS.has(node.key)) output += "";
        else if (!Object.hasOwn(fields, node.key))
          throw new TemplateError(
            options.path,
            `{{${[...node.filters].reverse().concat(node.key).join(":")}}} refers to a field the note type lacks`,
          );
        else output += applyFilters(fields[node.key]!, node.filters, node.key, options);
        break;
      case "conditional": {
        const inner = render(node.children, fields, nonEmpty, options);
        if (condition(node.key)) output += inner;
        break;
      }
      case "negated": {
        const inner = render(node.children, fields, nonEmpty, options);
        if (!condition(node.key)) output += inner;
        break;
      }
    }
  }
  return output;
}

/**
 * Renders one side of a card as Anki does: fields, sections, `{{FrontSide}}`, HTML comments and
 * Anki's filters (`text:`, `hint:`, `type:` with `type:cloze:` and `type:nc:`, `cloze:`,
 * `cloze-only:`, `furigana:`, `kana:`, `kanji:`, `tts …:`). Unknown filters leave the text as is.
 * @param fields field values by name; cloze sections (`{{#c1}}`) are true when the card is c1
 * @throws {TemplateError} for a syntax error or a field the note type lacks
 */
export function renderTemplate(
  template: string,
  fields: Readonly<Record<string, string>>,
  options: RenderTemplateOptions = {},
): string {
  const resolved: Required<RenderTemplateOptions> = {
    cardOrdinal: options.cardOrdinal ?? 0,
    side: options.side ?? "question",
    frontSide: options.frontSide ?? "",
    path: options.path ?? "template",
  };
  let nodes: TemplateNode[];
  try {
    nodes = parseTemplate(template);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new TemplateError(resolved.path, error.message);
    throw error;
  }
  const nonEmpty = new Set(Object.keys(fields).filter((name) => !fieldIsEmpty(fields[name]!)));
  nonEmpty.add(`c${resolved.cardOrdinal + 1}`);
  return render(nodes, fields, nonEmpty, resolved);
}
