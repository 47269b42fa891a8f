import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Names of everything benchmarked against the mock; `raw` is the floor. */
export const CONTENDERS = [
  "raw",
  "thryd",
  "thryd-cache-hit",
  "openai",
  "ai-sdk",
  "litellm",
  "portkey",
  "gateway",
  "proxy-floor",
] as const;

/** One benchmarked client. */
export type ContenderName = (typeof CONTENDERS)[number];

/** What the table headings call each contender. */
export const CONTENDER_LABELS: Record<ContenderName, string> = {
  raw: "raw undici (floor)",
  thryd: "@fabricatio/thryd",
  "thryd-cache-hit": "thryd, cache hits",
  openai: "openai SDK",
  "ai-sdk": "Vercel AI SDK",
  litellm: "litellm (npm)",
  portkey: "Portkey gateway",
  gateway: "@fabricatio/gateway",
  "proxy-floor": "bare node:http proxy",
};

/** Where a contender sends its requests and how it is limited. */
export interface ContenderSetup {
  /** The mock's base URL, `http://127.0.0.1:PORT/v1`. */
  mockUrl: string;
  /** The Portkey gateway's origin, when it started. */
  gatewayUrl?: string;
  /** The @fabricatio/gateway origin, when it started. */
  fabricatioGatewayUrl?: string;
  /** The bare node:http + undici pass-through proxy's origin, when it started. */
  proxyFloorUrl?: string;
  /** Requests per window for contenders that limit; unset: no limit. */
  rpm?: number;
  /** Length of that window in seconds. */
  windowS?: number;
}

/** A ready client: `call` sends one completion and checks the answer. */
export interface Contender {
  call(): Promise<void>;
  close(): Promise<void>;
}

const MESSAGE = "benchmark message";
const EXPECTED = `echo: ${MESSAGE}`;
const MODEL = "gpt-4o-mini";
const API_KEY = "sk-bench";

function check(content: string | null | undefined, who: string): void {
  if (content !== EXPECTED) throw new Error(`${who} returned ${JSON.stringify(content)}`);
}

async function rawUndici(origin: string, pathname: string, headers: Record<string, string>) {
  const { Agent } = await import("undici");
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  const allHeaders = {
    "content-type": "application/json",
    authorization: `Bearer ${API_KEY}`,
    ...headers,
  };
  return {
    call: async () => {
      const response = await agent.request({
        origin,
        path: pathname,
        method: "POST",
        headers: allHeaders,
        // Serialised per call, as any client must: a prebuilt string would flatter the floor.
        body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: MESSAGE }] }),
      });
      const json = (await response.body.json()) as {
        choices?: { message?: { content?: string } }[];
      };
      check(json.choices?.[0]?.message?.content, "raw");
    },
    close: () => agent.close(),
  };
}

async function thryd(setup: ContenderSetup, withCache: boolean): Promise<Contender> {
  const { createCompletionRouter, OpenAICompatibleProvider, RouterCache, closeHttpPools } =
    await import("@fabricatio/thryd");
  const cacheDir = withCache ? mkdtempSync(path.join(tmpdir(), "bench-thryd-")) : undefined;
  const cache = cacheDir
    ? new RouterCache({ path: path.join(cacheDir, "cache.sqlite"), ttlS: 0 })
    : undefined;
  const router = createCompletionRouter(cache ? { cache } : {}).addProvider(
    new OpenAICompatibleProvider({ name: "mock", apiKey: API_KEY, baseUrl: setup.mockUrl }),
  );
  router.deploy(
    "bench",
    `mock/${MODEL}`,
    setup.rpm === undefined ? {} : { rpm: setup.rpm, windowS: setup.windowS },
  );
  const request = { message: MESSAGE };
  const call = async () => {
    const response = await router.invoke("bench", request);
    check(response.content, "thryd");
  };
  // One real call fills the cache, so every measured call is a hit.
  if (withCache) await call();
  return {
    call,
    close: async () => {
      await cache?.close();
      if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
      await closeHttpPools();
    },
  };
}

async function openaiSdk(setup: ContenderSetup): Promise<Contender> {
  const { default: OpenAI } = await import("openai");
  const client = new OpenAI({ apiKey: API_KEY, baseURL: setup.mockUrl, maxRetries: 0 });
  return {
    call: async () => {
      const completion = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: "user", content: MESSAGE }],
      });
      check(completion.choices[0]?.message.content, "openai");
    },
    close: async () => {},
  };
}

async function aiSdk(setup: ContenderSetup): Promise<Contender> {
  const { generateText } = await import("ai");
  const { createOpenAI } = await import("@ai-sdk/openai");
  const model = createOpenAI({ apiKey: API_KEY, baseURL: setup.mockUrl }).chat(MODEL);
  return {
    call: async () => {
      const result = await generateText({ model, prompt: MESSAGE, maxRetries: 0 });
      check(result.text, "ai-sdk");
    },
    close: async () => {},
  };
}

async function litellm(setup: ContenderSetup): Promise<Contender> {
  const { completion } = await import("litellm");
  return {
    call: async () => {
      const result = await completion({
        model: MODEL,
        messages: [{ role: "user", content: MESSAGE }],
        apiKey: API_KEY,
        baseUrl: setup.mockUrl,
      });
      check(result.choices[0]?.message.content, "litellm");
    },
    close: async () => {},
  };
}

/**
 * Builds one contender. Each imports its library lazily, so a child process loads only its own.
 * @throws when the library is missing or the setup lacks what it needs (the gateway URL)
 */
export async function createContender(
  name: ContenderName,
  setup: ContenderSetup,
): Promise<Contender> {
  const target = new URL(`${setup.mockUrl}/chat/completions`);
  switch (name) {
    case "raw":
      return rawUndici(target.origin, target.pathname, {});
    case "thryd":
      return thryd(setup, false);
    case "thryd-cache-hit":
      return thryd(setup, true);
    case "openai":
      return openaiSdk(setup);
    case "ai-sdk":
      return aiSdk(setup);
    case "litellm":
      return litellm(setup);
    case "portkey":
      if (!setup.gatewayUrl) throw new Error("the Portkey gateway did not start");
      return rawUndici(setup.gatewayUrl, "/v1/chat/completions", {
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": setup.mockUrl,
      });
    case "gateway":
      if (!setup.fabricatioGatewayUrl) throw new Error("@fabricatio/gateway did not start");
      // The same raw client as the Portkey row: the difference is the gateway.
      return rawUndici(setup.fabricatioGatewayUrl, "/v1/chat/completions", {});
    case "proxy-floor":
      if (!setup.proxyFloorUrl) throw new Error("the bare proxy did not start");
      return rawUndici(setup.proxyFloorUrl, "/v1/chat/completions", {});
  }
}
