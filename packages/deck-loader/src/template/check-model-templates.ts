import path from "node:path";
import { TemplateError } from "../errors/template-error.js";
import type { DeckWarning, ModelConfig, TemplateConfig } from "../types.js";
import {
  parseTemplate,
  referencedNames,
  type TemplateNode,
  TemplateSyntaxError,
} from "./parse-template.js";
import { KNOWN_FILTERS, SPECIAL_FIELDS } from "./render-template.js";

/** A model's templates, parsed and checked. */
export interface CheckedTemplates {
  /** The parsed fronts, by template ordinal. */
  fronts: TemplateNode[][];
  /** Unknown filters (left to add-ons by Anki). */
  warnings: DeckWarning[];
}

function filtersOf(nodes: readonly TemplateNode[]): string[] {
  return nodes.flatMap((node) =>
    node.kind === "replacement"
      ? node.filters
      : node.kind === "conditional" || node.kind === "negated"
        ? filtersOf(node.children)
        : [],
  );
}

/**
 * Checks a model's templates as Anki checks a note type before saving it: each side parses,
 * every front refers to a field, no name is unknown, no two fronts are equal, and a cloze note
 * type has one template with `{{cloze:Field}}` on both sides (a standard one has none).
 * @param templatesFolder `models/<model>/templates`, for messages
 * @throws {TemplateError} naming every problem
 */
export function checkModelTemplates({
  templatesFolder,
  config,
  templates,
}: {
  templatesFolder: string;
  config: ModelConfig;
  templates: readonly TemplateConfig[];
}): CheckedTemplates {
  const problems: { path: string; detail: string }[] = [];
  const warnings: DeckWarning[] = [];
  const fronts: TemplateNode[][] = [];
  const isCloze = config.type === "cloze";
  if (templates.length === 0)
    problems.push({
      path: templatesFolder,
      detail: "the model has no template: add templates/<name>/front.html and back.html",
    });
  if (isCloze && templates.length > 1)
    problems.push({
      path: templatesFolder,
      detail: `a cloze model has exactly one template, found ${templates.length}: ${templates.map((template) => template.name).join(", ")}`,
    });
  const frontOwner = new Map<string, string>();
  for (const template of templates) {
    const folder = path.join(templatesFolder, template.name);
    const sides = [
      { file: path.join(folder, "front.html"), text: template.front },
      { file: path.join(folder, "back.html"), text: template.back },
    ];
    const parsed = sides.map(({ file, text }) => {
      try {
        return parseTemplate(text);
      } catch (error) {
        if (!(error instanceof TemplateSyntaxError)) throw error;
        problems.push({ path: file, detail: error.message });
        return undefined;
      }
    });
    fronts.push(parsed[0] ?? []);
    sides.forEach(({ file }, side) => {
      const nodes = parsed[side];
      if (!nodes) return;
      const names = referencedNames(nodes);
      if (side === 0 && names.size === 0)
        problems.push({
          path: file,
          detail: "the front refers to no field, so it never makes a card",
        });
      for (const name of names) {
        if (name === "" || SPECIAL_FIELDS.has(name) || config.fields.includes(name)) continue;
        problems.push({
          path: file,
          detail: `{{${name}}} refers to a field the model lacks (fields: ${config.fields.join(", ")})`,
        });
      }
      const hasCloze =
        referencedNames(nodes, { clozeOnly: true, withConditionals: false }).size > 0;
      if (isCloze && !hasCloze)
        problems.push({
          path: file,
          detail: "a cloze model needs {{cloze:Field}} on the front and on the back",
        });
      if (!isCloze && hasCloze)
        problems.push({
          path: file,
          detail:
            "{{cloze:…}} makes cloze cards only in a cloze model: set `type: cloze` in fields.yaml",
        });
      for (const filter of new Set(filtersOf(nodes))) {
        if (KNOWN_FILTERS.has(filter) || filter.startsWith("tts ")) continue;
        warnings.push({
          code: "DECK_UNKNOWN_FILTER",
          message: `${file}: the filter "${filter}:" is not one of Anki's; without an add-on that provides it, Anki shows the field unfiltered`,
        });
      }
    });
    const owner = frontOwner.get(template.front);
    if (owner !== undefined && !/\{\{\s*Card\s*\}\}/.test(template.front))
      problems.push({
        path: sides[0]!.file,
        detail: `the front is the same as template "${owner}"'s, so both cards would look alike`,
      });
    frontOwner.set(template.front, template.name);
  }
  if (problems.length > 0) {
    const [first, ...rest] = problems;
    throw new TemplateError(
      first!.path,
      [first!.detail, ...rest.map(({ path: file, detail }) => `${file}: ${detail}`)].join("; "),
    );
  }
  return { fronts, warnings };
}
