export {
  CyclicRefError,
  InvalidRefError,
  isSignifyError,
  NameCollisionError,
  SignifyError,
} from "./errors.js";
export {
  pythonName,
  pythonRepr,
  schemaToDocstringArgs,
  schemaToSignature,
} from "./python-signature.js";
export { splitWords, toSnakeCase } from "./snake-case.js";
export type { SignifyOptions } from "./types.js";
export { schemaToTsDoc, schemaToTsSignature } from "./typescript-signature.js";
