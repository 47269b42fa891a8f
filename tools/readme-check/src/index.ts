export type { BlockAction, BlockPlan } from "./block-plan.js";
export { planBlock } from "./block-plan.js";
export type {
  BlockFailure,
  CheckedBlock,
  CheckReadmesOptions,
  CheckReport,
  FailureKind,
} from "./check-readmes.js";
export { checkReadmes, DEFAULT_RUN_TIMEOUT_MS } from "./check-readmes.js";
export { checkToml } from "./check-toml.js";
export type { ExpectedLine } from "./expected-output.js";
export { expectedLines, firstMissingLine, lineMatches } from "./expected-output.js";
export type { CodeBlock } from "./extract-blocks.js";
export { extractBlocks } from "./extract-blocks.js";
export type { Placeholder } from "./find-placeholders.js";
export { findPlaceholders } from "./find-placeholders.js";
export { findReadmes } from "./find-readmes.js";
export { formatReport } from "./format-report.js";
export type { MockEndpoints, RunEnvironment, RunEnvironmentOptions } from "./run-environment.js";
export { createRunEnvironment, RUN_API_KEY, runConfigToml } from "./run-environment.js";
export type { ProcessResult, RunProcessOptions } from "./run-process.js";
export { runProcess } from "./run-process.js";
export type {
  Snippet,
  SnippetDiagnostic,
  TypeCheckOptions,
  TypeCheckResult,
} from "./type-check-snippets.js";
export { typeCheckSnippets } from "./type-check-snippets.js";
