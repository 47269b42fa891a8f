import { getLogger } from "@fabricatio/logger";
import { tex2typst } from "tex2typst";
import { TexConversionError } from "./errors.js";
import { findTexMath } from "./find-tex-math.js";

/** How converted formulas are written. */
export interface ConvertOptions {
  /**
   * `padded` writes inline math as ` $x$ ` with a space on each side, as the original does;
   * `tight` writes `$x$` with nothing added. @default "padded"
   */
  inlineSpacing?: "padded" | "tight";
  /**
   * `block` writes display math as `$`, newline, formula, newline, `$` (a Typst block equation),
   * as the original; `inline-spaces` writes `$ x $`. @default "block"
   */
  displayStyle?: "block" | "inline-spaces";
}

// Typst sizes delimiters itself, and tex2typst turns these sizing commands into unknown names.
const SIZING = /\\[Bb]igg?[lrm]?(?![A-Za-z])/g;

function toTypst(tex: string): string {
  try {
    return tex2typst(tex.replace(SIZING, ""), {
      customTexMacros: { "\\stackrel": "\\overset" },
    }).trim();
  } catch (error) {
    throw new TexConversionError(tex, error);
  }
}

/**
 * Converts one TeX formula, given without delimiters, to a Typst equation with its delimiters:
 * `$x^2$` inline, `$ x^2 $` (a block equation in Typst) with `display: true`.
 * @throws {TexConversionError} when tex2typst cannot convert it
 */
export function convertTexMath(
  tex: string,
  { display = false }: { display?: boolean } = {},
): string {
  const typst = toTypst(tex);
  return display ? `$ ${typst} $` : `$${typst}$`;
}

// Longest TeX quoted in a log line, in characters.
const MAX_LOGGED_TEX = 80;

function reasonOf(error: unknown): string {
  const cause = error instanceof TexConversionError ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.split("\n")[0] ?? message;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `${line}:${offset - before.lastIndexOf("\n")}`;
}

/**
 * Replaces every TeX formula of a text (`$$…$$`, `\[…\]`, `\(…\)`, `$…$`; see `findTexMath` for
 * what is left alone) by Typst math. A formula that cannot be converted is kept verbatim with its
 * delimiters and logged at WARN as one line with its line, column and reason: this never throws
 * for bad math. Identical
 * formulas are converted once per call.
 */
export function convertAllTexMath(text: string, options: ConvertOptions = {}): string {
  const logger = getLogger("tex-convertor:convert");
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const converted = new Map<string, string | null>();
  let output = "";
  for (const segment of findTexMath(text)) {
    if (segment.kind === "text") {
      output += segment.text;
      continue;
    }
    const key = `${segment.display ? "D" : "I"}${segment.body}`;
    let typst = converted.get(key);
    if (typst === undefined) {
      try {
        typst = toTypst(segment.body);
      } catch (error) {
        typst = null;
        // One line a formula: a binary file holds thousands of "formulas", and a stack trace
        // each buried the output.
        logger.warn(
          `Kept TeX at ${lineAndColumn(text, segment.offset)} unconverted: ${reasonOf(error)}`,
          {
            tex:
              segment.body.length > MAX_LOGGED_TEX
                ? `${segment.body.slice(0, MAX_LOGGED_TEX)}…`
                : segment.body,
          },
        );
      }
      converted.set(key, typst);
    }
    if (typst === null) {
      output += `${segment.open}${segment.body}${segment.close}`;
    } else if (segment.display) {
      output +=
        options.displayStyle === "inline-spaces"
          ? `$ ${typst} $`
          : `$${newline}${typst}${newline}$`;
    } else {
      output += options.inlineSpacing === "tight" ? `$${typst}$` : ` $${typst}$ `;
    }
  }
  return output;
}
