import { flushLogger, initLogger } from "@fabricatio/logger";
import { describe, expect, it } from "vitest";
import { convertAllTexMath, convertTexMath } from "./convert.js";
import { TexConversionError } from "./errors.js";
import { findTexMath } from "./find-tex-math.js";

describe("convertAllTexMath, as the original", () => {
  it("writes display math as $, newline, formula, newline, $", () => {
    expect(convertAllTexMath("Area: $$\\frac{a}{b}$$ done")).toBe("Area: $\na/b\n$ done");
    expect(convertAllTexMath("\\[x^2\\]")).toBe("$\nx^2\n$");
  });

  it("writes inline math padded with a space on each side", () => {
    expect(convertAllTexMath("so $\\alpha$ and \\(\\beta\\).")).toBe("so  $alpha$  and  $beta$ .");
  });

  it("tries $$ before $ and \\[ before \\(", () => {
    expect(convertAllTexMath("$$a$$ $b$")).toBe("$\na\n$  $b$ ");
  });

  it("keeps a formula that cannot be converted verbatim with its delimiters", () => {
    expect(convertAllTexMath("bad $$\\frac{a}{b$$ then $x$")).toBe(
      "bad $$\\frac{a}{b$$ then  $x$ ",
    );
  });
});

describe("unconvertible formulas", () => {
  it("are each reported on one line with position and reason, never with a stack trace", async () => {
    const lines: string[] = [];
    initLogger({ stream: { write: (line: string) => lines.push(line) } });
    const output = convertAllTexMath("a $$\\frac{x$$\nb \\(\\begin{foo}y\\end{foo}\\) $z$");
    await flushLogger();
    expect(output).toContain("$$\\frac{x$$");
    const text = lines.join("");
    expect(text.split("\n").filter(Boolean)).toHaveLength(2);
    expect(text).not.toMatch(/\n\s+at /);
    expect(lines[0]).toContain("Kept TeX at 1:3 unconverted: Unmatched '\\{'");
    expect(lines[1]).toContain("Kept TeX at 2:3 unconverted: Unimplemented beginend: foo");
  });
});

describe("where the original's regex goes wrong", () => {
  it("treats an escaped \\$ as text", () => {
    expect(convertAllTexMath("price \\$5 and $x$")).toBe("price \\$5 and  $x$ ");
  });

  it("leaves $ in code spans and fenced code blocks alone", () => {
    const text = "run `echo $HOME $PATH` and\n```sh\nexport A=$B\n$$x$$\n```\nthen $y$";
    expect(convertAllTexMath(text)).toBe(
      "run `echo $HOME $PATH` and\n```sh\nexport A=$B\n$$x$$\n```\nthen  $y$ ",
    );
  });

  it("follows Pandoc's rule for inline $, so prices stay prose", () => {
    expect(convertAllTexMath("costs $5 and $10 today")).toBe("costs $5 and $10 today");
    expect(convertAllTexMath("a $ x$ b")).toBe("a $ x$ b");
    expect(convertAllTexMath("a $x $ b")).toBe("a $x $ b");
    expect(convertAllTexMath("$x$1")).toBe("$x$1");
  });

  it("leaves the rest of the text untouched after an unclosed delimiter", () => {
    expect(convertAllTexMath("ok $a$ then $$never closed $b$")).toBe(
      "ok  $a$  then $$never closed $b$",
    );
    expect(convertAllTexMath("\\[ open only $c$")).toBe("\\[ open only $c$");
  });

  it("converts multi-line display math", () => {
    expect(convertAllTexMath("$$\n\\sum_{i=1}^{n} i\n$$")).toBe("$\nsum_(i = 1)^n i\n$");
  });

  it("keeps CRLF line endings and Unicode around math", () => {
    expect(convertAllTexMath("温度 $T$ は\r\n$$\r\nx\r\n$$\r\n😀")).toBe(
      "温度  $T$  は\r\n$\r\nx\r\n$\r\n😀",
    );
  });

  it("does not let inline math cross a blank line", () => {
    expect(convertAllTexMath("a $x\n\ny$ b")).toBe("a $x\n\ny$ b");
  });
});

describe("options and single formulas", () => {
  it("writes tight inline math and spaced display math when asked", () => {
    expect(
      convertAllTexMath("a $x$ b $$y$$", { inlineSpacing: "tight", displayStyle: "inline-spaces" }),
    ).toBe("a $x$ b $ y $");
  });

  it("converts one formula with its delimiters, and throws a typed error for bad TeX", () => {
    expect(convertTexMath("\\sqrt{x}")).toBe("$sqrt(x)$");
    expect(convertTexMath("\\sqrt{x}", { display: true })).toBe("$ sqrt(x) $");
    expect(() => convertTexMath("\\frac{a")).toThrow(TexConversionError);
  });
});

describe("beyond tex2typst", () => {
  it("drops \\big-style sizing commands, which Typst does not need, and maps \\stackrel", () => {
    expect(convertTexMath("\\big( x \\Bigr]")).toBe("$(x]$");
    expect(convertTexMath("\\stackrel{def}{=}")).toBe("$eq.def$");
    expect(convertTexMath("\\bigcup_i A_i")).toBe("$union.big_i A_i$");
  });
});

describe("findTexMath", () => {
  it("reports delimiters, bodies and offsets", () => {
    expect(findTexMath("a \\(x\\) b")).toEqual([
      { kind: "text", text: "a " },
      { kind: "math", display: false, open: "\\(", close: "\\)", body: "x", offset: 2 },
      { kind: "text", text: " b" },
    ]);
  });

  it("treats a double-backtick span containing a single backtick as one code span", () => {
    expect(
      findTexMath("``a ` $x$`` $y$").filter((segment) => segment.kind === "math"),
    ).toHaveLength(1);
  });
});
