// Gemini's batchEmbedContents takes at most 100 texts a call (README: "one batchEmbedContents
// call per chunk of at most maxBatchEmbSize texts, never more than 100 (the API's limit)").
import { embedText } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import { createEmbeddingRouter, GeminiProvider } from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

function router() {
  const embeddings = createEmbeddingRouter().addProvider(
    new GeminiProvider({ apiKey: "AIza-batch-test", baseUrl: mock().origin }),
  );
  embeddings.deploy("emb", "gemini/text-embedding-x");
  return embeddings;
}

const texts = Array.from({ length: 250 }, (_, index) => `text number ${index}`);
// The texts of each call the mock received. Chunks go out in parallel, so in any order.
const batches = () =>
  mock().requests.map((request) =>
    (request.body as { requests: { content: { parts: { text: string }[] } }[] }).requests.map(
      (item) => item.content.parts[0]?.text,
    ),
  );
const sizes = () =>
  batches()
    .map((batch) => batch.length)
    .sort((left, right) => right - left);

describe("Gemini embeddings in batches", () => {
  it.each([
    ["unset", undefined],
    ["above the cap (500)", 500],
  ])("sends at most 100 texts a call with maxBatchEmbSize %s", async (_, maxBatchEmbSize) => {
    const response = await router().invoke("emb", { texts, ndim: 4, maxBatchEmbSize });
    expect(sizes()).toEqual([100, 100, 50]);
    // Every text sent once, and every vector back in request order.
    expect(batches().flat().sort()).toEqual([...texts].sort());
    expect(response.embeddings).toEqual(texts.map((text) => embedText(text, 4)));
  });

  it("takes a smaller maxBatchEmbSize as it is", async () => {
    await router().invoke("emb", { texts: texts.slice(0, 25), ndim: 4, maxBatchEmbSize: 10 });
    expect(sizes()).toEqual([10, 10, 5]);
  });
});
