import { stripHtmlTags } from "../text/strip-html.js";

interface Cloze {
  ordinals: number[];
  nodes: (string | Cloze)[];
  hint: string | undefined;
}

// Anki keeps at most this many clozes open at once; deeper openings are read as text.
const MAX_OPEN_CLOZES = 10;
const OPEN_CLOZE = /^\{\{c([\d,]*)::/;

/** Anki's `parse_text_with_clozes`: text and (nested) `{{cN::text::hint}}` deletions. */
function parseClozes(text: string): (string | Cloze)[] {
  const output: (string | Cloze)[] = [];
  const open: Cloze[] = [];
  const pushText = (chunk: string) => {
    const current = open.at(-1);
    if (!current) {
      output.push(chunk);
      return;
    }
    const hintAt = chunk.indexOf("::");
    if (hintAt >= 0) {
      current.hint = chunk.slice(hintAt + 2);
      current.nodes.push(chunk.slice(0, hintAt));
    } else {
      current.nodes.push(chunk);
    }
  };
  let index = 0;
  let textStart = 0;
  while (index < text.length) {
    const opening = text.startsWith("{{c", index) ? OPEN_CLOZE.exec(text.slice(index)) : null;
    const ordinals = opening
      ? [
          ...new Set(
            opening[1]!
              .split(",")
              .filter((part) => /^\d+$/.test(part))
              .map(Number)
              .filter((value) => value <= 0xffff),
          ),
        ].sort((a, b) => a - b)
      : [];
    const isOpen = opening !== null && ordinals.length > 0;
    const isClose = !isOpen && text.startsWith("}}", index);
    if (!isOpen && !isClose) {
      index += 1;
      continue;
    }
    if (index > textStart) pushText(text.slice(textStart, index));
    if (isOpen) {
      if (open.length < MAX_OPEN_CLOZES) open.push({ ordinals, nodes: [], hint: undefined });
      index += opening![0].length;
    } else {
      const closed = open.pop();
      if (closed) (open.at(-1)?.nodes ?? output).push(closed);
      else output.push("}}");
      index += 2;
    }
    textStart = index;
  }
  if (index > textStart) pushText(text.slice(textStart, index));
  return output;
}

function collectNumbers(nodes: readonly (string | Cloze)[], into: Set<number>): void {
  for (const node of nodes) {
    if (typeof node === "string") continue;
    for (const ordinal of node.ordinals) if (ordinal !== 0) into.add(ordinal);
    collectNumbers(node.nodes, into);
  }
}

/** The cloze numbers in `text` (`{{c1::…}}`, `{{c2,3::…}}`, nested ones), as Anki finds them. */
export function clozeNumbers(text: string): Set<number> {
  const numbers = new Set<number>();
  collectNumbers(parseClozes(text), numbers);
  return numbers;
}

/**
 * The card ordinals Anki makes for a cloze note: one per cloze number found in any field,
 * number N giving ordinal N-1 (capped at 499, as Anki caps it), ascending.
 */
export function clozeCardOrdinals(fields: readonly string[]): number[] {
  const ordinals = new Set<number>();
  for (const field of fields)
    for (const number of clozeNumbers(field)) ordinals.add(Math.min(number - 1, 499));
  return [...ordinals].sort((a, b) => a - b);
}

function clozedText(cloze: Cloze): string {
  return cloze.nodes.map((node) => (typeof node === "string" ? node : clozedText(node))).join("");
}

function encodeAttribute(text: string): string {
  return text.replace(
    /[^A-Za-z0-9\u0080-\uffff]/g,
    (character) => `&#x${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")};`,
  );
}

function reveal(
  cloze: Cloze,
  ordinal: number,
  question: boolean,
  found: { active: boolean },
): string {
  const active = cloze.ordinals.includes(ordinal);
  found.active ||= active;
  const ordinals = cloze.ordinals.join(",");
  const inner = () =>
    cloze.nodes
      .map((node) => (typeof node === "string" ? node : reveal(node, ordinal, question, found)))
      .join("");
  if (question && active) {
    return `<span class="cloze" data-cloze="${encodeAttribute(inner())}" data-ordinal="${ordinals}">[${cloze.hint ?? "..."}]</span>`;
  }
  const className = active ? "cloze" : "cloze-inactive";
  return `<span class="${className}" data-ordinal="${ordinals}">${inner()}</span>`;
}

const MATHJAX = /(\\[([])([\s\S]*?)(\\[)\]])/gi;

/**
 * Anki's `cloze` filter: the deletions numbered `cardOrdinal + 1` hidden (question, showing the
 * hint or `[...]`) or highlighted (answer), the others shown; empty when that number is absent.
 */
export function clozeFilter(text: string, cardOrdinal: number, question: boolean): string {
  const found = { active: false };
  const revealed = parseClozes(text)
    .map((node) =>
      typeof node === "string" ? node : reveal(node, cardOrdinal + 1, question, found),
    )
    .join("");
  if (!found.active) return "";
  return revealed.replace(
    MATHJAX,
    (_, opening: string, inner: string, closing: string) =>
      `${opening}${stripHtmlTags(inner)}${closing}`,
  );
}

/** Anki's `cloze-only` filter: the texts (answer) or hints (question) of the active deletions. */
export function clozeOnlyFilter(text: string, cardOrdinal: number, question: boolean): string {
  const output: string[] = [];
  const visit = (nodes: readonly (string | Cloze)[]) => {
    for (const node of nodes) {
      if (typeof node === "string") continue;
      if (node.ordinals.includes(cardOrdinal + 1))
        output.push(question ? (node.hint ?? "...") : clozedText(node));
      visit(node.nodes);
    }
  };
  visit(parseClozes(text));
  return output.join(", ");
}
