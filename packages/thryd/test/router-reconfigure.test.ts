// Changing a live router: `updateProvider` replaces a provider by name for the deployments made
// after it ("Existing deployments keep theirs"), `setRetry` changes the retry policy of the next
// calls.
import { describe, expect, it } from "vitest";
import { ApiError, createCompletionRouter, OpenAICompatibleProvider } from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

const provider = (apiKey: string) =>
  new OpenAICompatibleProvider({ name: "mock", apiKey, baseUrl: mock().url });
const keys = () => mock().requests.map((request) => request.headers.authorization);

describe("updateProvider", () => {
  it("replaces the provider of that name for new deployments; existing ones keep theirs", async () => {
    const chat = createCompletionRouter().addProvider(provider("sk-old"));
    chat.deploy("before", "mock/m");
    const replacement = provider("sk-new");
    chat.updateProvider(replacement);
    expect(chat.getProvider("mock")).toBe(replacement);
    expect(chat.providerNames()).toEqual(["mock"]);
    chat.deploy("after", "mock/m");
    await chat.invoke("before", { message: "one" });
    await chat.invoke("after", { message: "two" });
    expect(keys()).toEqual(["Bearer sk-old", "Bearer sk-new"]);
  });
});

describe("setRetry", () => {
  it("turns retries on, changes them and turns them off for the calls that follow", async () => {
    const waits: number[] = [];
    const chat = createCompletionRouter({
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.999,
    }).addProvider(provider("sk-mock"));
    chat.deploy("g", "mock/m");

    mock().script({ type: "error", status: 503 });
    await expect(chat.invoke("g", { message: "a" })).rejects.toBeInstanceOf(ApiError);
    expect(mock().requestCount).toBe(1);

    chat.setRetry({ maxRetries: 2, initialBackoffMs: 40 });
    mock().script({ type: "error", status: 503 }, { type: "error", status: 503 });
    await expect(chat.invoke("g", { message: "b" })).resolves.toMatchObject({
      content: "echo: b",
    });
    expect(mock().requestCount).toBe(4);
    expect(waits).toEqual([40, 80]);

    chat.setRetry({ maxRetries: 1, initialBackoffMs: 5 });
    mock().script({ type: "error", status: 503 }, { type: "error", status: 503 });
    await expect(chat.invoke("g", { message: "c" })).rejects.toMatchObject({ status: 503 });
    expect(mock().requestCount).toBe(6);

    chat.setRetry(undefined);
    mock().script({ type: "error", status: 503 });
    await expect(chat.invoke("g", { message: "d" })).rejects.toMatchObject({ status: 503 });
    expect(mock().requestCount).toBe(7);
  });
});
