import type { CardRequirement } from "../types.js";
import type { TemplateNode } from "./parse-template.js";

/**
 * Anki's `template_is_empty`. With `checkNegated` false (Anki's `renders_with_fields_for_reqs`),
 * a `{{^Field}}` section counts its content even when the field is filled, as older Anki clients
 * computed `req`.
 */
function isEmpty(
  nodes: readonly TemplateNode[],
  nonEmpty: ReadonlySet<string>,
  checkNegated: boolean,
): boolean {
  for (const node of nodes) {
    switch (node.kind) {
      case "replacement":
        if (nonEmpty.has(node.key)) return false;
        break;
      case "conditional":
        if (nonEmpty.has(node.key) && !isEmpty(node.children, nonEmpty, checkNegated)) return false;
        break;
      case "negated":
        if (checkNegated && nonEmpty.has(node.key)) break;
        if (!isEmpty(node.children, nonEmpty, checkNegated)) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

/**
 * Whether a card's front, parsed, has content when exactly `nonEmptyFields` are filled: Anki
 * makes the card of a standard note type then (`renders_with_fields`).
 */
export function rendersWithFields(
  front: readonly TemplateNode[],
  nonEmptyFields: ReadonlySet<string>,
): boolean {
  return !isEmpty(front, nonEmptyFields, true);
}

/**
 * A template's `req` entry as Anki computes it: "any" of the fields that alone make the front
 * render; else "all" of the fields that cannot be left out; else "none".
 */
export function cardRequirement(
  ordinal: number,
  front: readonly TemplateNode[],
  fieldNames: readonly string[],
): CardRequirement {
  const renders = (fields: ReadonlySet<string>) => !isEmpty(front, fields, false);
  const any = fieldNames.flatMap((name, index) => (renders(new Set([name])) ? [index] : []));
  if (any.length > 0) return [ordinal, "any", any];
  const all = new Set(fieldNames);
  const needed = fieldNames.flatMap((name, index) => {
    const without = new Set(all);
    without.delete(name);
    return renders(without) ? [] : [index];
  });
  if (needed.length > 0 && renders(all)) return [ordinal, "all", needed];
  return [ordinal, "none", []];
}
