/** One `prints:` comment: the output line a statement is documented to print. */
export interface ExpectedLine {
  /** Line of the comment inside the block, 1-based. */
  readonly line: number;
  /** The text after `prints:`; `…` stands for any run of characters. */
  readonly text: string;
}

/**
 * The `prints:` comments of a block, in order: `// prints: text` in TypeScript, `# prints: text`
 * in a shell block, at the end of a line or on a line of its own.
 */
export function expectedLines(code: string, commentStart: "//" | "#"): ExpectedLine[] {
  const marker = new RegExp(`(?:^|\\s)${commentStart}\\s*prints:\\s?(.*)$`);
  const expected: ExpectedLine[] = [];
  code.split("\n").forEach((text, index) => {
    const match = marker.exec(text);
    if (match) expected.push({ line: index + 1, text: match[1]!.trimEnd() });
  });
  return expected;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether an output line is the expected one, `…` matching any run of characters. */
export function lineMatches(expected: string, actual: string): boolean {
  const pattern = expected.split("…").map(escapeRegExp).join(".*");
  return new RegExp(`^${pattern}$`, "s").test(actual.trimEnd());
}

/**
 * The first expected line the output does not print: the expected lines must appear in the
 * output in their order (other lines may come between them, as a loop or a log line would
 * print). `undefined` when every one is found.
 */
export function firstMissingLine(
  expected: readonly ExpectedLine[],
  output: string,
): ExpectedLine | undefined {
  const lines = output.replace(/\r\n/g, "\n").split("\n");
  let cursor = 0;
  for (const line of expected) {
    while (cursor < lines.length && !lineMatches(line.text, lines[cursor]!)) cursor += 1;
    if (cursor === lines.length) return line;
    cursor += 1;
  }
  return undefined;
}
