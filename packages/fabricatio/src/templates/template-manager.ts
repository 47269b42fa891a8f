import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { isFabricatioError, TemplateNotFoundError, TemplateRenderError } from "../errors.js";
import { extraHelpers, originalHelpers } from "./helpers/original-helpers.js";
import { rustBuiltinHelpers } from "./helpers/rust-builtins.js";
import { asRustRendered } from "./rust-values.js";
import { applyLiteralEscapes } from "./string-literals.js";

/** Options of {@link TemplateManager}. */
export interface TemplateManagerOptions {
  /** Folders searched for templates; the first that has a name wins. @default [] */
  stores?: readonly string[];
  /** File suffix of templates, without the dot. @default "hbs" */
  suffix?: string;
  /** Re-read a template's file on every render (for editing prompts live). @default false */
  activeLoading?: boolean;
  /** Add the templates shipped with this package (`built-in/…`) after the stores. @default true */
  builtIn?: boolean;
}

/** Where this package's own templates live: `<package>/templates`, holding `built-in/*.hbs`. */
export const BUILT_IN_TEMPLATE_STORE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../templates",
);

type Data = Record<string, unknown> | unknown[] | unknown;

/**
 * A Handlebars environment that runs the original's templates unchanged: its helpers (`lang`,
 * `ls`, `join`, `len`, `hash`, `words`, `date`, `head`, `block`, `code`), handlebars-rust's
 * built-ins (`eq`, `ne`, `and`, `or`, `not`, `lt`, `gt`, `lte`, `gte`), values printed as
 * handlebars-rust prints them, nothing HTML-escaped, and every template usable as a partial.
 */
function createEnvironment(): typeof Handlebars {
  const environment = Handlebars.create();
  environment.registerHelper({ ...extraHelpers(), ...rustBuiltinHelpers(), ...originalHelpers() });
  return environment;
}

function listTemplates(store: string, suffix: string): [name: string, file: string][] {
  let entries: import("node:fs").Dirent[];
  try {
    if (!statSync(store).isDirectory()) return [];
    entries = readdirSync(store, { recursive: true, withFileTypes: true });
  } catch {
    // A store that does not exist holds no templates, as in the original.
    return [];
  }
  const ending = `.${suffix}`;
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(ending))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const name = path.relative(store, file).split(path.sep).join("/").slice(0, -ending.length);
      return [name, file] as [string, string];
    })
    .sort(([left], [right]) => left.localeCompare(right));
}

/**
 * The templates of the stores, by name: a file `<store>/built-in/make_choice.hbs` is the template
 * `built-in/make_choice`. The first store holding a name wins; the templates shipped with this
 * package (`built-in/…`) come after every store, so a store can override any of them. Templates
 * are discovered when the manager is built (and by `discover()`), compiled on first use.
 */
export class TemplateManager {
  readonly #environment = createEnvironment();
  readonly #files = new Map<string, string>();
  readonly #compiled = new Map<string, Handlebars.TemplateDelegate>();
  readonly #stores: string[];
  readonly #suffix: string;
  readonly #activeLoading: boolean;
  readonly #builtIn: boolean;

  constructor({
    stores = [],
    suffix = "hbs",
    activeLoading = false,
    builtIn = true,
  }: TemplateManagerOptions = {}) {
    this.#stores = stores.map((store) => path.resolve(store));
    this.#suffix = suffix.replace(/^\./, "");
    this.#activeLoading = activeLoading;
    this.#builtIn = builtIn;
    this.discover();
  }

  /** The template stores, in the order they are searched (built-in templates not included). */
  get stores(): readonly string[] {
    return [...this.#stores];
  }

  /** How many templates are registered (the original's `template_count`). */
  get templateCount(): number {
    return this.#files.size;
  }

  /** The registered template names, sorted. */
  templateNames(): string[] {
    return [...this.#files.keys()].sort();
  }

  /** Whether a template of this name is registered. */
  has(name: string): boolean {
    return this.#files.has(name);
  }

  /**
   * Adds a store after the existing ones (the original's `add_store`); its templates are seen
   * after `discover()`, or at once with `rediscover`.
   */
  addStore(source: string, rediscover = false): this {
    return this.addStores([source], rediscover);
  }

  /** Adds several stores (the original's `add_stores`). */
  addStores(sources: readonly string[], rediscover = false): this {
    this.#stores.push(...sources.map((source) => path.resolve(source)));
    if (rediscover) this.discover();
    return this;
  }

  /** Forgets every template and registers the stores' templates anew (`discover_templates`). */
  discover(): this {
    for (const name of this.#files.keys()) this.#environment.unregisterPartial(name);
    this.#files.clear();
    this.#compiled.clear();
    const found: [string, string][] = this.#stores.flatMap((store) =>
      listTemplates(store, this.#suffix),
    );
    if (this.#builtIn) found.push(...listTemplates(BUILT_IN_TEMPLATE_STORE, "hbs"));
    for (const [name, file] of found) {
      if (this.#files.has(name)) continue;
      this.#files.set(name, file);
      // handlebars-rust lets a template include any registered template as a partial.
      this.#environment.registerPartial(name, (context: unknown) => this.#template(name)(context));
    }
    return this;
  }

  /** Files that would hold template `name`, in search order. */
  candidates(name: string): string[] {
    const stores = this.#builtIn ? [...this.#stores, BUILT_IN_TEMPLATE_STORE] : this.#stores;
    return stores.map((store) =>
      path.join(store, `${name}.${store === BUILT_IN_TEMPLATE_STORE ? "hbs" : this.#suffix}`),
    );
  }

  #template(name: string): Handlebars.TemplateDelegate {
    const file = this.#files.get(name);
    if (!file || (this.#activeLoading && !existsSync(file))) {
      throw new TemplateNotFoundError(name, this.candidates(name));
    }
    let template = this.#activeLoading ? undefined : this.#compiled.get(name);
    if (!template) {
      template = this.#compile(readFileSync(file, "utf8"));
      if (!this.#activeLoading) this.#compiled.set(name, template);
    }
    return template;
  }

  #compile(source: string): Handlebars.TemplateDelegate {
    return this.#environment.compile(applyLiteralEscapes(source), {
      noEscape: true,
      strict: false,
    });
  }

  #run(template: Handlebars.TemplateDelegate, data: unknown, name: string): string {
    try {
      return template(asRustRendered(data));
    } catch (error) {
      if (isFabricatioError(error) && error.code === "FABRICATIO_TEMPLATE_NOT_FOUND") throw error;
      throw new TemplateRenderError(name, error);
    }
  }

  /**
   * Renders template `name` with `data`.
   * @throws {TemplateNotFoundError} naming every file searched
   * @throws {TemplateRenderError} naming the template, for a syntax error or a helper's error
   */
  render(name: string, data: Data = {}): string {
    return this.#run(this.#template(name), data, name);
  }

  /** Renders template `name` once per item of `data`, in order (the original's batch render). */
  renderMany(name: string, data: readonly Data[]): string[] {
    const template = this.#template(name);
    return data.map((item) => this.#run(template, item, name));
  }

  /**
   * Renders a template given as text, not as a name (the original's `render_template_raw`); an
   * array of data renders it once per item.
   * @throws {TemplateRenderError} for a syntax error or a helper's error
   */
  renderString(template: string, data?: Data): string;
  renderString(template: string, data: readonly Data[]): string[];
  renderString(template: string, data: Data | readonly Data[] = {}): string | string[] {
    // Handlebars parses on first call, so a syntax error surfaces (and is wrapped) in #run.
    const compiled = this.#compile(template);
    if (Array.isArray(data)) return data.map((item) => this.#run(compiled, item, "<string>"));
    return this.#run(compiled, data, "<string>");
  }
}
