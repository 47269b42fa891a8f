/** A `Requires-Dist` value with its one-based line in the metadata file. */
export interface RawRequirement {
  readonly text: string;
  readonly line: number;
}

/** The header fields of a core-metadata file (`METADATA`, `PKG-INFO`) that the scanner uses. */
export interface CoreMetadata {
  readonly name?: string;
  readonly version?: string;
  readonly requiresDist: readonly RawRequirement[];
  readonly providesExtra: readonly string[];
}

const HEADER = /^([\x21-\x39\x3b-\x7e]+):[ \t]*(.*)$/;

/**
 * Reads the RFC 822 header block of a core-metadata file: everything before the first blank
 * line. Folded continuation lines are joined to their header. The body (the long description)
 * is never scanned, so a `Requires-Dist:` line inside a README does not count.
 */
export function parseCoreMetadata(text: string): CoreMetadata {
  const requiresDist: RawRequirement[] = [];
  const providesExtra: string[] = [];
  let name: string | undefined;
  let version: string | undefined;
  const lines = text.split(/\r\n|\n|\r/);
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    if (line.trim() === "") break;
    const match = HEADER.exec(line);
    const lineNumber = index + 1;
    index += 1;
    if (!match) continue;
    let value = match[2]!;
    while (index < lines.length && /^[ \t]/.test(lines[index]!) && lines[index]!.trim() !== "") {
      value += ` ${lines[index]!.trim()}`;
      index += 1;
    }
    value = value.trim();
    switch (match[1]!.toLowerCase()) {
      case "name":
        name ??= value;
        break;
      case "version":
        version ??= value;
        break;
      case "requires-dist":
        requiresDist.push({ text: value, line: lineNumber });
        break;
      case "provides-extra":
        providesExtra.push(value);
        break;
    }
  }
  return {
    ...(name ? { name } : {}),
    ...(version ? { version } : {}),
    requiresDist,
    providesExtra,
  };
}

/**
 * Converts an egg-info `requires.txt` into `Requires-Dist` values, as `importlib.metadata` does:
 * a `[extra]`, `[extra:marker]` or `[:marker]` section header applies to the lines below it.
 */
export function requiresTxtToRequiresDist(text: string): RawRequirement[] {
  const result: RawRequirement[] = [];
  let suffix = "";
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const section = /^\[(.*)\]$/.exec(line);
    if (section) {
      const [extra = "", marker = ""] = section[1]!.split(":", 2).map((part) => part.trim());
      const conditions = [
        ...(marker ? [`(${marker})`] : []),
        ...(extra ? [`extra == "${extra}"`] : []),
      ];
      suffix = conditions.length > 0 ? `; ${conditions.join(" and ")}` : "";
      return;
    }
    result.push({ text: `${line}${suffix}`, line: index + 1 });
  });
  return result;
}
