import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { TemplateNotFoundError } from "../errors.js";

/** Options of {@link TemplateManager}. */
export interface TemplateManagerOptions {
  /** Folders searched in order before the built-in templates. @default [] */
  stores?: readonly string[];
  /** File suffix of templates, without the dot. @default "hbs" */
  suffix?: string;
  /** Re-read template files on every render (for editing prompts live). @default false */
  activeLoading?: boolean;
}

const BUILT_IN_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../templates");
const BUILT_IN_PREFIX = "built-in/";

function fence(content: unknown, language: unknown): string {
  const lang = typeof language === "string" ? language : "";
  return `\`\`\`${lang}\n${String(content ?? "")}\n\`\`\``;
}

/** A private Handlebars environment with the helpers our prompts use; nothing is HTML-escaped. */
function createEnvironment(): typeof Handlebars {
  const environment = Handlebars.create();
  environment.registerHelper("block", (content: unknown, title: unknown) => {
    const name = typeof title === "string" ? title : "Block";
    return `----- Start of ${name} -----\n${String(content ?? "")}\n----- End of ${name} -----`;
  });
  environment.registerHelper("code", fence);
  environment.registerHelper("json", (value: unknown) => JSON.stringify(value));
  environment.registerHelper("pluck", (items: unknown, key: unknown) =>
    Array.isArray(items) ? items.map((item) => (item as Record<string, unknown>)[String(key)]) : [],
  );
  environment.registerHelper("concat", (...values: unknown[]) => values.slice(0, -1).join(""));
  environment.registerHelper("gt", (left: unknown, right: unknown) => Number(left) > Number(right));
  return environment;
}

/**
 * Renders the prompt templates named by the config's `templates` keys (`built-in/make_choice`…):
 * a name is looked up as `<store>/<name>.<suffix>` in each store, then among the templates that
 * ship with this package.
 */
export class TemplateManager {
  private readonly environment = createEnvironment();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly stores: readonly string[];
  private readonly suffix: string;
  private readonly activeLoading: boolean;

  constructor({ stores = [], suffix = "hbs", activeLoading = false }: TemplateManagerOptions = {}) {
    this.stores = stores.map((store) => path.resolve(store));
    this.suffix = suffix.replace(/^\./, "");
    this.activeLoading = activeLoading;
  }

  /** Files tried for `name`, in order. */
  candidates(name: string): string[] {
    const fromStores = this.stores.map((store) => path.join(store, `${name}.${this.suffix}`));
    const builtInName = name.startsWith(BUILT_IN_PREFIX) ? name : `${BUILT_IN_PREFIX}${name}`;
    return [...fromStores, path.join(BUILT_IN_ROOT, `${builtInName}.hbs`)];
  }

  /**
   * Renders template `name` with `data`.
   * @throws {TemplateNotFoundError} naming every path searched
   */
  render(name: string, data: Record<string, unknown>): string {
    const candidates = this.candidates(name);
    const file = candidates.find((candidate) => existsSync(candidate));
    if (!file) throw new TemplateNotFoundError(name, candidates);
    let template = this.activeLoading ? undefined : this.compiled.get(file);
    if (!template) {
      template = this.environment.compile(readFileSync(file, "utf8"), {
        noEscape: true,
        strict: false,
      });
      if (!this.activeLoading) this.compiled.set(file, template);
    }
    return template(data).trim();
  }
}
