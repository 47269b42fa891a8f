const SEPARATOR_RUN = /[-_.]+/g;

/**
 * Normalises a Python distribution name per PEP 503: lower case, and every run of `-`, `_`
 * and `.` replaced by a single `-`. `Foo.Bar__baz` → `foo-bar-baz`.
 */
export function normalizeName(name: string): string {
  return name.replace(SEPARATOR_RUN, "-").toLowerCase();
}
