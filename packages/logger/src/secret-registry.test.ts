import { afterEach, describe, expect, it } from "vitest";
import {
  MIN_SECRET_CHARS,
  REDACTED,
  redactSecrets,
  registerSecret,
  SecretRegistry,
  secretRegistry,
} from "./secret-registry.js";

describe("SecretRegistry", () => {
  it("replaces every occurrence of a registered value, longest first", () => {
    const registry = new SecretRegistry();
    registry.register("canary-1234");
    registry.register("canary-1234-extended");
    expect(registry.redact("a canary-1234-extended b canary-1234 c canary-1234")).toBe(
      "a *** b *** c ***",
    );
  });

  it("also finds the JSON-escaped and URL-encoded forms of a value", () => {
    const registry = new SecretRegistry();
    registry.register('pa"ss/word+1');
    expect(registry.redact(JSON.stringify({ key: 'pa"ss/word+1' }))).toBe('{"key":"***"}');
    expect(registry.redact(`?x=${encodeURIComponent('pa"ss/word+1')}`)).toBe("?x=***");
  });

  it(`ignores values under ${MIN_SECRET_CHARS} characters, which would mangle ordinary text`, () => {
    const registry = new SecretRegistry();
    registry.register("abc");
    registry.register("");
    registry.register(undefined);
    expect(registry.size).toBe(0);
    expect(registry.redact("abc")).toBe("abc");
  });

  it("redacts URL userinfo and credential query parameters without any registration", () => {
    const registry = new SecretRegistry();
    expect(registry.redact("redis://:hunter2@localhost:6379/0")).toBe(
      `redis://${REDACTED}@localhost:6379/0`,
    );
    expect(registry.redact("at https://user:pw@example.com/v1?api-key=abc&model=x")).toBe(
      "at https://***@example.com/v1?api-key=***&model=x",
    );
    expect(
      registry.redact("GET /v1?key=AAA&sig=BBB&X-Amz-Signature=CCC&subscription-key=DDD&page=2"),
    ).toBe("GET /v1?key=***&sig=***&X-Amz-Signature=***&subscription-key=***&page=2");
    expect(registry.redact("the monkey=banana field and key=value metadata")).toBe(
      "the monkey=banana field and key=value metadata",
    );
  });

  it("redacts bearer tokens, authorization header values and well-known key shapes", () => {
    const registry = new SecretRegistry();
    expect(registry.redact("Authorization: Bearer abcdefgh12345")).toBe("Authorization: ***");
    expect(registry.redact('{"authorization":"Basic dXNlcjpwYXNz"}')).toBe(
      '{"authorization":"***"}',
    );
    expect(registry.redact("sent Bearer abcdefgh12345 upstream")).toBe("sent Bearer *** upstream");
    expect(registry.redact("Incorrect API key provided: sk-proj-abcdefghijklmnopqrstu.")).toBe(
      "Incorrect API key provided: ***.",
    );
    expect(registry.redact(`key AIza${"x".repeat(35)} rejected`)).toBe("key *** rejected");
  });

  it("forgets everything on clear", () => {
    const registry = new SecretRegistry();
    registry.register("canary-1234");
    registry.clear();
    expect(registry.redact("canary-1234")).toBe("canary-1234");
  });
});

describe("the process-wide registry", () => {
  afterEach(() => secretRegistry().clear());

  it("is shared through globalThis, so a second copy of the package sees the same secrets", () => {
    registerSecret("process-wide-canary");
    const holder = globalThis as Record<symbol, unknown>;
    expect(holder[Symbol.for("fabricatio.secretRegistry")]).toBe(secretRegistry());
    expect(redactSecrets("x process-wide-canary y")).toBe("x *** y");
  });
});
