import { DeckLoaderError } from "./deck-loader-error.js";

/** A file-system operation on the user's path failed (missing folder, no permission, full disk). */
export class DeckIoError extends DeckLoaderError {
  override readonly code = "DECK_IO";
  /** The user's path the operation was about (never an internal temporary file). */
  readonly path: string;
  /** What was being done: "read", "write", "list", "create folder", "copy", … */
  readonly operation: string;
  /** The system error code (`ENOENT`, `EACCES`, `ENOSPC`, …), when there is one. */
  readonly systemCode: string | undefined;

  constructor(operation: string, path: string, cause: unknown) {
    const systemCode =
      typeof cause === "object" && cause !== null && "code" in cause
        ? String((cause as { code: unknown }).code)
        : undefined;
    super(`Cannot ${operation} ${path}: ${describe(systemCode, cause)}`, { cause });
    this.path = path;
    this.operation = operation;
    this.systemCode = systemCode;
  }
}

const DESCRIPTIONS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EFBIG: "the file is too large for this system's limit",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  EROFS: "the file system is read-only",
  EEXIST: "it already exists",
  ELOOP: "too many symbolic links",
};

function describe(systemCode: string | undefined, cause: unknown): string {
  const known = systemCode === undefined ? undefined : DESCRIPTIONS[systemCode];
  if (known !== undefined) return `${known} (${systemCode})`;
  return cause instanceof Error ? cause.message : String(cause);
}
