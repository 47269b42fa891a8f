/**
 * Renders an Anki card template the way Anki decides whether a card exists: `{{Field}}` (filters
 * such as `{{text:Field}}` read the field after the last colon), `{{#Field}}…{{/Field}}` and
 * `{{^Field}}…{{/Field}}` sections, and `{{FrontSide}}`.
 */
export function renderTemplate(
  template: string,
  fields: Readonly<Record<string, string>>,
  frontSide = "",
): string {
  const sections = /\{\{([#^])\s*([^}]+?)\s*\}\}([\s\S]*?)\{\{\/\s*\2\s*\}\}/g;
  let text = template;
  for (let pass = 0; pass < 10 && sections.test(text); pass += 1) {
    sections.lastIndex = 0;
    text = text.replace(sections, (_, kind: string, name: string, body: string) => {
      const filled = (fields[name] ?? "").trim() !== "";
      return (kind === "#") === filled ? body : "";
    });
  }
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, reference: string) => {
    const name = reference.split(":").at(-1)!.trim();
    return name === "FrontSide" ? frontSide : (fields[name] ?? "");
  });
}

/** The fields a template refers to. */
export function referencedFields(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(/\{\{\s*[#^/]?\s*([^}]+?)\s*\}\}/g)) {
    const name = match[1]!.split(":").at(-1)!.trim();
    if (name !== "FrontSide") names.add(name);
  }
  return [...names];
}
