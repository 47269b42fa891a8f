import { InvalidFieldNameError } from "./errors/invalid-field-name-error.js";
import { SPECIAL_FIELDS } from "./template/render-template.js";

/**
 * Why Anki would refuse `name` as a field name (its editor and `NoteField::fix_name`), or
 * undefined when it is fine: empty; white space around it; `:` `{` `}` `"`; a leading `#` `/` `^`;
 * a control character; or one of Anki's special fields (`FrontSide`, `Tags`, …), which a
 * template could not reach.
 */
export function fieldNameProblem(name: string): string | undefined {
  if (name.trim() === "") return "it is empty";
  if (name !== name.trim()) return "it starts or ends with white space";
  const bad = /[:{}"]/.exec(name);
  if (bad) return `it contains ${JSON.stringify(bad[0])}`;
  if (/^[#/^]/.test(name)) return `it starts with ${JSON.stringify(name[0])}`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return "it contains a control character";
  if (SPECIAL_FIELDS.has(name)) return `it is Anki's special field {{${name}}}`;
  return undefined;
}

/**
 * Checks every field name and that no two are equal ignoring case, as Anki compares them.
 * @throws {InvalidFieldNameError} naming every bad name, from `path`
 */
export function validateFieldNames(path: string, names: readonly string[]): void {
  const problems: { name: string; reason: string }[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const reason = fieldNameProblem(name);
    if (reason !== undefined) problems.push({ name, reason });
    const folded = name.toLowerCase();
    const previous = seen.get(folded);
    if (previous !== undefined)
      problems.push({ name, reason: `it repeats ${JSON.stringify(previous)} (case is ignored)` });
    seen.set(folded, name);
  }
  if (problems.length === 0) return;
  const [first] = problems;
  const rest = problems
    .slice(1)
    .map(({ name, reason }) => `; ${JSON.stringify(name)}: ${reason}`)
    .join("");
  throw new InvalidFieldNameError(path, first!.name, `${first!.reason}${rest}`);
}
