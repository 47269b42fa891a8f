// Cost totals against an oracle outside the router: the price table applied to the usage the
// upstream reported for what it received (the mock's arrival log), never the router's own
// `usage.cost`.
import { estimateTokens, lastUserText } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import { createCompletionRouter, OpenAICompatibleProvider, type Price } from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

// USD per million tokens of each model, as a provider's price page lists them.
const PRICES: Record<string, Price> = {
  cheap: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  smart: { inputPerMTok: 3, outputPerMTok: 15 },
};

// What each request the mock received costs, from the mock's own usage and the price table.
function upstreamBill() {
  const byModel: Record<string, number> = {};
  for (const request of mock().requests) {
    const { model } = request.body as { model: string };
    const prompt = lastUserText(request.body);
    const price = PRICES[model]!;
    const usd =
      (estimateTokens(prompt) * price.inputPerMTok +
        estimateTokens(`echo: ${prompt}`) * price.outputPerMTok) /
      1_000_000;
    byModel[model] = (byModel[model] ?? 0) + usd;
  }
  return byModel;
}

describe("Cost totals", () => {
  it("add up to the price table applied to what the upstream billed, streams and cache hits included", async () => {
    const chat = createCompletionRouter({ cache: { store: new Map() } }).addProvider(
      new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
    );
    chat.deploy("fast", "mock/cheap", { price: PRICES.cheap });
    chat.deploy("deep", "mock/smart", { price: PRICES.smart });
    const questions = ["short", "a somewhat longer question", "x".repeat(403)];
    for (const message of questions) {
      await chat.invoke("fast", { message });
      await chat.invoke("deep", { message: `${message} (deep)` });
    }
    for await (const _ of chat.stream("deep", { message: "streamed, with usage at the end" })) {
      // Drained for its final usage chunk.
    }
    // A cache hit carries its recorded cost and adds nothing: the upstream was not asked again.
    const hit = await chat.invoke("fast", { message: "short" });
    expect(mock().requestCount).toBe(7);

    const bill = upstreamBill();
    const totals = chat.costs();
    expect(totals.deployments["mock/cheap"]).toBeCloseTo(bill.cheap!, 12);
    expect(totals.deployments["mock/smart"]).toBeCloseTo(bill.smart!, 12);
    expect(totals.groups.fast).toBeCloseTo(bill.cheap!, 12);
    expect(totals.groups.deep).toBeCloseTo(bill.smart!, 12);
    const shortCost =
      (estimateTokens("short") * 0.15 + estimateTokens("echo: short") * 0.6) / 1_000_000;
    expect(hit.usage.cost).toBeCloseTo(shortCost, 15);
  });
});
