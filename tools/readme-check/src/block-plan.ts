import type { CodeBlock } from "./extract-blocks.js";

/** What the checker does with a block. */
export type BlockAction =
  /** TypeScript: type-check as a whole file of a user's project. */
  | "type-check"
  /** TypeScript: type-check with the fragment prelude in scope; never run. */
  | "type-check-fragment"
  /** TypeScript: type-check, then run against the mock server. */
  | "run"
  /** TOML: load as a `fabricatio.toml`, then build an LLM from it. */
  | "load-toml"
  /** TOML: load as a `fabricatio.toml` only. */
  | "load-toml-fragment"
  /** JSON: parse. */
  | "parse-json"
  /** Shell: run the lines against the mock server. */
  | "run-shell"
  /** Not checked: other languages, shell blocks not marked `run`. */
  | "none";

const TYPESCRIPT = new Set(["ts", "typescript", "mts"]);
const SHELL = new Set(["sh", "bash", "shell"]);

/** The markers each kind of block accepts. */
const ACCEPTED: Record<string, readonly string[]> = {
  typescript: ["run", "fragment"],
  toml: ["fragment"],
  json: [],
  shell: ["run"],
};

function kindOf(language: string): keyof typeof ACCEPTED | undefined {
  if (TYPESCRIPT.has(language)) return "typescript";
  if (SHELL.has(language)) return "shell";
  if (language === "toml" || language === "json") return language;
  return undefined;
}

/** A block's action, or the problem with its markers. */
export type BlockPlan =
  | { readonly action: BlockAction; readonly problem?: undefined }
  | { readonly action: "none"; readonly problem: string };

/**
 * What to do with a block, from its language and markers. A marker the block's language does not
 * take (a typo such as `fragmnet`, `run` on a TOML block, both `run` and `fragment`) is a problem,
 * never ignored: an ignored marker would silently stop checking the block.
 */
export function planBlock(block: CodeBlock): BlockPlan {
  const kind = kindOf(block.language);
  const markers = new Set(block.markers);
  if (kind === undefined) {
    return markers.size === 0
      ? { action: "none" }
      : {
          action: "none",
          problem: `readme-check markers on a \`${block.language || "plain"}\` block, which is not checked: ${[...markers].join(", ")}`,
        };
  }
  const unknown = [...markers].filter((marker) => !ACCEPTED[kind]!.includes(marker));
  if (unknown.length > 0) {
    return {
      action: "none",
      problem: `unknown readme-check marker(s) for a ${kind} block: ${unknown.join(", ")} (accepted: ${ACCEPTED[kind]!.join(", ") || "none"})`,
    };
  }
  if (kind === "typescript") {
    if (markers.has("run") && markers.has("fragment")) {
      return { action: "none", problem: "a block cannot be both `run` and `fragment`" };
    }
    if (markers.has("run")) return { action: "run" };
    return { action: markers.has("fragment") ? "type-check-fragment" : "type-check" };
  }
  if (kind === "toml")
    return { action: markers.has("fragment") ? "load-toml-fragment" : "load-toml" };
  if (kind === "json") return { action: "parse-json" };
  return { action: markers.has("run") ? "run-shell" : "none" };
}
