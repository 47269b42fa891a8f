export {
  InterpreterNotFoundError,
  InterpreterOutputError,
  isScannerError,
  RequirementSyntaxError,
  ScannerError,
  ScannerNotRefreshedError,
  ScanRootNotFoundError,
} from "./errors.js";
export type { InterpreterInfo, QueryInterpreterOptions } from "./interpreter.js";
export { queryInterpreter } from "./interpreter.js";
export type { NodePackageScannerOptions } from "./node-package-scanner.js";
export { NodePackageScanner } from "./node-package-scanner.js";
export type { SpecifierOperator, VersionSpecifier } from "./pep440.js";
export { parseSpecifierSet, specifierSetContains } from "./pep440.js";
export { normalizeName } from "./pep503.js";
export { evaluateMarker, parseMarker, parseRequirement } from "./pep508.js";
export type { PythonPackageScannerOptions } from "./python-package-scanner.js";
export { PythonPackageScanner } from "./python-package-scanner.js";
export type {
  InstalledPackage,
  Marker,
  MarkerEnvironment,
  MarkerOperator,
  MarkerValue,
  MarkerVariable,
  Requirement,
  ScanProblem,
} from "./types.js";
