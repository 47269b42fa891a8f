import { embedText } from "@fabricatio/mock-llm";
import { describe, expect, it } from "vitest";
import { useGateway } from "./harness.js";

const fixture = useGateway({ routing: { metrics: true } }, { embedding: { ndim: 8 } });

describe("POST /v1/embeddings", () => {
  it("returns the vectors in input order, base64-encoded as the SDK asks by default", async () => {
    const response = await fixture()
      .client()
      .embeddings.create({ model: "embed", input: ["alpha", "beta"] });
    expect(response.data.map((item) => item.index)).toEqual([0, 1]);
    // The SDK decodes base64 float32: the vectors are the mock's, to float32 precision.
    expect(response.data[0]?.embedding).toHaveLength(8);
    expect(response.data[0]?.embedding[0]).toBeCloseTo(embedText("alpha", 8)[0]!, 6);
    expect(response.data[1]?.embedding[3]).toBeCloseTo(embedText("beta", 8)[3]!, 6);
    expect(response.usage.total_tokens).toBeGreaterThan(0);
    expect(fixture().mock.requests[0]?.body).toMatchObject({
      model: "embed-mock",
      input: ["alpha", "beta"],
      dimensions: 8,
    });
  });

  it("returns float arrays for encoding_format float and honours dimensions", async () => {
    const response = await fixture().client().embeddings.create({
      model: "embed",
      input: "gamma",
      dimensions: 4,
      encoding_format: "float",
    });
    expect(response.data[0]?.embedding).toEqual(embedText("gamma", 4));
  });

  it("refuses token arrays as input, naming the item", async () => {
    const response = await fetch(`${fixture().url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "embed", input: [[1, 2, 3]] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe("input[0]");
  });
});

describe("POST /v1/rerank", () => {
  it("ranks the documents best first, top_n of them, with the documents when asked", async () => {
    const response = await fetch(`${fixture().url}/v1/rerank`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "rank",
        query: "red apple",
        documents: ["blue sky", { text: "red apple pie" }, "apple"],
        top_n: 2,
        return_documents: true,
      }),
    });
    expect(response.status).toBe(200);
    const json = (await response.json()) as {
      results: { index: number; relevance_score: number; document: { text: string } }[];
    };
    expect(json.results.map((result) => result.index)).toEqual([1, 2]);
    expect(json.results[0]?.document.text).toBe("red apple pie");
    expect(json.results[0]!.relevance_score).toBeGreaterThan(json.results[1]!.relevance_score);
  });
});

describe("service endpoints", () => {
  it("lists every routing group as a model", async () => {
    const models = await fixture().client().models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual(["embed", "fast", "rank"]);
  });

  it("serves the routers' Prometheus metrics and the gateway's counters", async () => {
    await fixture()
      .client()
      .chat.completions.create({ model: "fast", messages: [{ role: "user", content: "m" }] });
    const response = await fetch(`${fixture().url}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/thryd_requests_total\{group="fast",deployment="mock\/gpt-mock"\} [1-9]/);
    expect(text).toMatch(
      /fabricatio_gateway_requests_total\{route="\/v1\/chat\/completions",status="200"\} [1-9]/,
    );
    expect(text).toContain("fabricatio_gateway_in_flight");
  });

  it("answers liveness, and readiness with each deployment's circuit state", async () => {
    expect((await fetch(`${fixture().url}/health`)).status).toBe(200);
    const ready = await fetch(`${fixture().url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; deployments: { state: string }[] };
    expect(body.status).toBe("ready");
    expect(body.deployments).toHaveLength(3);
    expect(body.deployments.every((deployment) => deployment.state === "closed")).toBe(true);
  });

  it("answers an unknown route with a 404 in OpenAI's error shape", async () => {
    const response = await fetch(`${fixture().url}/v1/completions`, { method: "POST" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      "/v1/completions",
    );
  });
});
