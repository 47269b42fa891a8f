import { describe, it } from "vitest";
import {
  AnthropicProvider,
  DummyProvider,
  GeminiProvider,
  OpenAICompatibleProvider,
} from "../src/index.js";
import { completionModelConformance } from "./completion-model-conformance.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

describe("OpenAICompletionModel against the mock server", () => {
  completionModelConformance(
    it,
    async () =>
      new OpenAICompatibleProvider({
        name: "mock",
        apiKey: "k",
        baseUrl: mock().url,
      }).createCompletionModel("m"),
    (message) => `echo: ${message}`,
  );
});

describe("AnthropicCompletionModel against the mock server", () => {
  completionModelConformance(
    it,
    async () =>
      new AnthropicProvider({ apiKey: "k", baseUrl: mock().origin }).createCompletionModel("c"),
    (message) => `echo: ${message}`,
  );
});

describe("GeminiCompletionModel against the mock server", () => {
  completionModelConformance(
    it,
    async () =>
      new GeminiProvider({ apiKey: "k", baseUrl: mock().origin }).createCompletionModel("g"),
    (message) => `echo: ${message}`,
  );
});

describe("DummyModel", () => {
  completionModelConformance(
    it,
    async (message) =>
      new DummyProvider()
        .createCompletionModel("d")
        .respond(`dummy ${message}`, `dummy ${message}`),
    (message) => `dummy ${message}`,
  );
});
