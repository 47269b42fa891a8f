export {
  CyclicRefError,
  InvalidRefError,
  isSignifyError,
  MAX_SCHEMA_DEPTH,
  NameCollisionError,
  SchemaTooDeepError,
  SignifyError,
} from "./errors.js";
export {
  escapeDocstring,
  pythonName,
  pythonRepr,
  schemaToDocstringArgs,
  schemaToSignature,
} from "./python-signature.js";
export { splitWords, toSnakeCase } from "./snake-case.js";
export type { SignifyOptions } from "./types.js";
export { schemaToTsDoc, schemaToTsSignature } from "./typescript-signature.js";
