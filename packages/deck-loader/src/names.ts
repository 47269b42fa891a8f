import { InvalidNameError } from "./errors/invalid-name-error.js";

/**
 * Checks that `value` is a plain folder or file name, so a path built from it stays inside the
 * project: not empty, not `.` or `..`, no `/` or `\`, no control character, no leading dot.
 * @throws {InvalidNameError}
 */
export function validateName(what: string, value: string): void {
  const reason =
    value.trim() === ""
      ? "it is empty"
      : value === "." || value === ".."
        ? "it names a folder, not a name inside it"
        : /[/\\]/.test(value)
          ? "it contains a path separator"
          : // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused
            /[\u0000-\u001f\u007f]/.test(value)
            ? "it contains a control character"
            : value.startsWith(".")
              ? "it starts with a dot (hidden files are not read)"
              : value !== value.trim()
                ? "it starts or ends with white space"
                : undefined;
  if (reason !== undefined) throw new InvalidNameError(what, value, reason);
}
