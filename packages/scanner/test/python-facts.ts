import type { MarkerEnvironment } from "../src/types.js";

/** A verdict of Python's `packaging`: the value it returned, or the class of what it raised. */
export type Verdict<T> = { readonly value: T } | { readonly error: string };

/** packaging's answers over `fixtures/packaging-corpus.json` (see `packaging-oracle.py`). */
export interface PackagingAnswers {
  /** Which packaging answered, e.g. `packaging 26.2`. */
  readonly source: string;
  readonly specifiers: readonly (
    | { readonly text: string; readonly valid: true; readonly contains: Record<string, boolean> }
    | { readonly text: string; readonly valid: false; readonly error: string }
  )[];
  readonly markers: readonly {
    readonly marker: string;
    readonly results: Record<string, Verdict<boolean>>;
  }[];
  readonly requirements: readonly (
    | {
        readonly input: string;
        readonly valid: true;
        readonly name: string;
        readonly canonicalName: string;
        readonly extras: readonly string[];
        readonly specifiers: readonly string[];
        readonly url: string | null;
        /** The marker's value for each corpus extra; `null` without a marker. */
        readonly marker: Record<string, Verdict<boolean>> | null;
      }
    | { readonly input: string; readonly valid: false; readonly error: string }
  )[];
  /** PEP 503 name → `canonicalize_name(name)`. */
  readonly names: Record<string, string>;
}

/** What Python says about itself and about the corpus, asked once per run by `global-setup.ts`. */
export interface PythonFacts {
  /** The command that answered on PATH: `python3`, else `python`. */
  readonly command: string;
  /** `sys.executable`: the interpreter binary itself, which starts without a pyenv shim's detour. */
  readonly executable: string;
  /** `sysconfig.get_paths()["purelib"]`. */
  readonly purelib: string;
  /** `packaging.markers.default_environment()` of that interpreter. */
  readonly environment: MarkerEnvironment;
  /** Which code computed `environment`. */
  readonly environmentSource: string;
  /** `[canonical name, version]` of each distribution `importlib.metadata` finds in `purelib`, sorted. */
  readonly distributions: readonly (readonly [string, string])[];
  readonly answers: PackagingAnswers;
}

declare module "vitest" {
  export interface ProvidedContext {
    python: PythonFacts;
  }
}
