// The original's parser tests (packages/fabricatio-core/python/tests/test_capture.py), one `it`
// per Python test, against this package's parsers.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CodeBlockParser, ContentBlockParser, GenericBlockParser } from "./block-parsers.js";
import { CodeSnippet, CodeSnippetParser } from "./code-snippet.js";
import { JsonParser } from "./json-parser.js";
import { genericParser, jsonParser, pythonParser, snippetParser } from "./parsers.js";
import { TextCapturer } from "./text-capturer.js";

describe("TextCapturer", () => {
  it("captures group 1 of a pattern", () => {
    expect(TextCapturer.withPattern("hello (\\w+) world").cap1("hello foo world")).toBe("foo");
  });
  it("returns undefined when nothing matches", () => {
    expect(
      TextCapturer.withPattern("hello (\\w+) world").cap1("goodbye foo world"),
    ).toBeUndefined();
  });
  it("captures every match with cap1All, and none without a match", () => {
    const capturer = TextCapturer.withPattern("(\\d+)");
    expect(capturer.cap1All("123 456 789")).toEqual(["123", "456", "789"]);
    expect(capturer.cap1All("abc def ghi")).toEqual([]);
  });
  it("captures two and three groups, once and for every match", () => {
    expect(TextCapturer.withPattern("(\\w+) (\\w+)").cap2("hello world")).toEqual([
      "hello",
      "world",
    ]);
    expect(TextCapturer.withPattern("(\\w+)-(\\w+)").cap2All("foo-bar baz-qux")).toEqual([
      ["foo", "bar"],
      ["baz", "qux"],
    ]);
    expect(TextCapturer.withPattern("(\\w+)\\s+(\\w+)\\s+(\\w+)").cap3("one two three")).toEqual([
      "one",
      "two",
      "three",
    ]);
    expect(TextCapturer.withPattern("(\\w+):(\\w+):(\\w+)").cap3All("a:b:c x:y:z")).toEqual([
      ["a", "b", "c"],
      ["x", "y", "z"],
    ]);
  });
  it("captures a code block of any language, of one language, and not of another", () => {
    expect(TextCapturer.captureCodeBlock().cap1("Some text\n```\ncode here\n```\nMore text")).toBe(
      "code here",
    );
    const python = TextCapturer.captureCodeBlock("python");
    expect(python.cap1("Some text\n```python\nprint('hello')\n```\nMore text")).toBe(
      "print('hello')",
    );
    expect(
      python.cap1("Some text\n```javascript\nconsole.log('hello')\n```\nMore text"),
    ).toBeUndefined();
  });
  it("captures generic blocks of the default and of a custom type", () => {
    expect(
      TextCapturer.captureGenericBlock().cap1(
        "--- Start of String ---\nSome content\n--- End of String ---",
      ),
    ).toBe("Some content");
    expect(
      TextCapturer.captureGenericBlock("CustomType").cap1(
        "--- Start of CustomType ---\nCustom content\n--- End of CustomType ---",
      ),
    ).toBe("Custom content");
  });
  it("matches case-insensitively, as the original's (?smi)", () => {
    expect(TextCapturer.withPattern("HELLO (\\w+)").cap1("hello world")).toBe("world");
  });
});

describe("JsonParser", () => {
  const fenced = "```json\\s*(.*?)\\s*```";
  it("is built from a pattern", () => {
    expect(JsonParser.withPattern("\\{.*\\}")).toBeInstanceOf(JsonParser);
  });
  it("captures valid JSON as it is", () => {
    expect(JsonParser.withPattern(fenced).capture('```json\n{"key": "value"}\n```', false)).toBe(
      '{"key": "value"}',
    );
  });
  it("repairs a capture when fix is on", () => {
    const result = JsonParser.withPattern(fenced).capture('```json\n{"key": "value"\n```', true);
    expect(result).toContain('"key"');
    expect(JSON.parse(result as string)).toEqual({ key: "value" });
  });
  it("returns undefined when nothing is captured", () => {
    expect(JsonParser.withPattern(fenced).capture("No JSON here", false)).toBeUndefined();
  });
  it("captures every JSON block", () => {
    expect(
      JsonParser.withPattern(fenced).captureAll(
        '```json\n{"a": 1}\n```\n```json\n{"b": 2}\n```',
        false,
      ),
    ).toEqual(['{"a": 1}', '{"b": 2}']);
  });
  it("converts a capture to an object and to an array", () => {
    expect(JsonParser.withPattern("\\{[^}]+\\}").convert('{"key": "value"}', false)).toEqual({
      key: "value",
    });
    expect(JsonParser.withPattern("\\[[^\\]]+\\]").convert("[1, 2, 3]", false)).toEqual([1, 2, 3]);
  });
  it("converts every capture", () => {
    expect(
      JsonParser.withPattern(fenced).convertAll(
        '```json\n{"a": 1}\n```\n```json\n{"b": 2}\n```',
        false,
      ),
    ).toEqual([{ a: 1 }, { b: 2 }]);
  });
  it("validates a list's item type and length", () => {
    const parser = JsonParser.withPattern("\\[.*\\]");
    expect(parser.validateList('["a", "b", "c"]', "str", 3, false)).toHaveLength(3);
    expect(parser.validateList('["a", "b", "c"]', "str", 5, false)).toBeUndefined();
  });
  it("validates a dict's key and value types and length", () => {
    const parser = JsonParser.withPattern("\\{.*\\}");
    expect(parser.validateDict('{"key": "value"}', "str", "str", 1, false)).toEqual({
      key: "value",
    });
    expect(parser.validateDict('{"key": "value"}', "str", "str", 5, false)).toBeUndefined();
  });
  it("converts a fenced array whole when repairing", () => {
    expect(
      JsonParser.captureJsonCodeblock().convert(
        '```json\n[{"a": 1}, {"b": 2}, {"c": 3}]\n```',
        true,
      ),
    ).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });
  it("converts a fenced object when repairing", () => {
    expect(
      JsonParser.captureJsonCodeblock().convert('```json\n{"key": "value"}\n```', true),
    ).toEqual({ key: "value" });
  });
  it("converts plain, unfenced JSON", () => {
    expect(JsonParser.captureJsonCodeblock().convert('[{"a": 1}, {"b": 2}]', true)).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
  });
  it("recovers the full array from prose around a fenced block", () => {
    expect(
      JsonParser.captureJsonCodeblock().convert(
        'Here is the data:\n```json\n[{"a": 1}, {"b": 2}]\n```\nDone.',
        true,
      ),
    ).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe("CodeBlockParser", () => {
  it("keeps its language", () => {
    expect(CodeBlockParser.withLanguage("python").language).toBe("python");
    expect(CodeBlockParser.withLanguage("javascript").language).toBe("javascript");
  });
  it("captures a block of its language and nothing of another", () => {
    const parser = CodeBlockParser.withLanguage("python");
    expect(parser.capture("Some text\n```python\nprint('hello')\n```\nMore text")).toBe(
      "print('hello')",
    );
    expect(
      parser.capture("Some text\n```javascript\nconsole.log('hello')\n```\nMore text"),
    ).toBeUndefined();
  });
  it("captures every block of its language", () => {
    const text = "```python\ncode1\n```\n```python\ncode2\n```\n```javascript\njs_code\n```";
    expect(CodeBlockParser.withLanguage("python").captureAll(text)).toEqual(["code1", "code2"]);
    expect(CodeBlockParser.withLanguage("rust").captureAll("```python\ncode1\n```")).toEqual([]);
  });
  it("captures any language with .*? and keeps multiline code", () => {
    expect(CodeBlockParser.withLanguage(".*?").capture("```\nany code\n```")).toBe("any code");
    const code = CodeBlockParser.withLanguage("python").capture(
      "```python\ndef foo():\n    return 42\n```",
    );
    expect(code).toBe("def foo():\n    return 42");
  });
});

describe("CodeSnippetParser", () => {
  it("has the original's default separators and takes custom ones", () => {
    const parser = CodeSnippetParser.withSeparators();
    expect([parser.leftSeparator, parser.rightSeparator]).toEqual([">>>>>", "<<<<<"]);
    const custom = CodeSnippetParser.withSeparators("<<<<", ">>>>");
    expect([custom.leftSeparator, custom.rightSeparator]).toEqual(["<<<<", ">>>>"]);
  });
  it("parses one snippet into a CodeSnippet with path, language and source", () => {
    const [snippet, ...rest] = CodeSnippetParser.withSeparators().parse(
      "path\n>>>>>python\nprint('hello')\n<<<<<",
    );
    expect(rest).toEqual([]);
    expect(snippet).toBeInstanceOf(CodeSnippet);
    expect([snippet?.writeTo, snippet?.language, snippet?.source]).toEqual([
      "path",
      "python",
      "print('hello')",
    ]);
  });
  it("parses several snippets, and none from text without one", () => {
    const snippets = CodeSnippetParser.withSeparators().parse(
      "path1\n>>>>>python\ncode1\n<<<<<\n\npath2\n>>>>>javascript\ncode2\n<<<<<",
    );
    expect(snippets.map((snippet) => snippet.language)).toEqual(["python", "javascript"]);
    expect(CodeSnippetParser.withSeparators().parse("No snippets here")).toEqual([]);
  });
});

describe("GenericBlockParser", () => {
  it("defaults to String blocks and takes a custom type", () => {
    expect(GenericBlockParser.withBlockType().blockType).toBe("String");
    expect(GenericBlockParser.withBlockType("MyType").blockType).toBe("MyType");
  });
  it("captures a block of its type only", () => {
    const parser = GenericBlockParser.withBlockType();
    expect(parser.capture("--- Start of String ---\nBlock content\n--- End of String ---")).toBe(
      "Block content",
    );
    expect(
      parser.capture("--- Start of Number ---\nBlock content\n--- End of Number ---"),
    ).toBeUndefined();
  });
  it("captures every block, multiline content included", () => {
    const parser = GenericBlockParser.withBlockType();
    expect(
      parser.captureAll(
        "--- Start of String ---\nBlock 1\n--- End of String ---\n--- Start of String ---\nBlock 2\n--- End of String ---",
      ),
    ).toEqual(["Block 1", "Block 2"]);
    expect(
      GenericBlockParser.withBlockType("OtherType").captureAll(
        "--- Start of String ---\nBlock\n--- End of String ---",
      ),
    ).toEqual([]);
    expect(
      parser.capture("--- Start of String ---\nLine 1\nLine 2\nLine 3\n--- End of String ---"),
    ).toBe("Line 1\nLine 2\nLine 3");
  });
});

describe("ContentBlockParser", () => {
  it("uses the left delimiter on both sides unless a right one is given", () => {
    const same = ContentBlockParser.withDelimiters("||");
    expect([same.leftDelimiter, same.rightDelimiter]).toEqual(["||", "||"]);
    const different = ContentBlockParser.withDelimiters("[[", "]]");
    expect([different.leftDelimiter, different.rightDelimiter]).toEqual(["[[", "]]"]);
  });
});

describe("module-level parsers", () => {
  it("are the original's json, python, generic and snippet parsers", () => {
    expect(jsonParser).toBeInstanceOf(JsonParser);
    expect(pythonParser.language).toBe("python");
    expect(genericParser.blockType).toBe("String");
    expect([snippetParser.leftSeparator, snippetParser.rightSeparator]).toEqual([">>>>>", "<<<<<"]);
  });
  it("capture JSON, Python and generic blocks", () => {
    expect(jsonParser.capture('```json\n{"key": "value"}\n```', false)).toContain("key");
    expect(pythonParser.capture("```python\nprint('hello')\n```")).toContain("print");
    expect(genericParser.capture("--- Start of String ---\nContent\n--- End of String ---")).toBe(
      "Content",
    );
  });
});

describe("CodeSnippet.write", () => {
  it("writes the source whole, creating parent folders, leaving no temporary file", () => {
    const root = mkdtempSync(path.join(tmpdir(), "fabricatio-snippet-"));
    try {
      const [snippet] = snippetParser.parse("src/deep/hello.py\n>>>>>python\nprint('hi')\n<<<<<");
      const written = snippet?.write({ cwd: root });
      expect(written).toBe(path.join(root, "src/deep/hello.py"));
      expect(readFileSync(path.join(root, "src/deep/hello.py"), "utf8")).toBe("print('hi')");
      new CodeSnippet({ writeTo: "src/deep/hello.py", language: "python", source: "x" }).write({
        cwd: root,
      });
      expect(readFileSync(path.join(root, "src/deep/hello.py"), "utf8")).toBe("x");
      expect(readdirSync(path.join(root, "src/deep"))).toEqual(["hello.py"]);
      expect(() =>
        new CodeSnippet({ writeTo: "missing/x.txt", language: "", source: "" }).write({
          cwd: root,
          parentDirs: false,
        }),
      ).toThrow(/ENOENT/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
