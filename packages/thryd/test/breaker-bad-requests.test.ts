// README, Circuit breaker: failures are "every error except the caller's abort and 400/413/422
// (the request was bad, not the deployment)". Through the router, against real HTTP answers.
import { describe, expect, it } from "vitest";
import {
  ApiError,
  CircuitOpenError,
  createCompletionRouter,
  OpenAICompatibleProvider,
} from "../src/index.js";
import { useMockServer } from "./mock-server.js";

const mock = useMockServer();

function router() {
  const chat = createCompletionRouter({
    circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 },
  }).addProvider(
    new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-mock", baseUrl: mock().url }),
  );
  chat.deploy("g", "mock/m");
  return chat;
}

const state = (chat: ReturnType<typeof router>) => chat.health()[0]?.state;

describe("The circuit breaker and bad requests", () => {
  it.each([400, 413, 422])(
    "stays closed after a %i, at a threshold of one failure",
    async (status) => {
      const chat = router();
      mock().script({ type: "error", status });
      await expect(chat.invoke("g", { message: "bad" })).rejects.toMatchObject({ status });
      expect(state(chat)).toBe("closed");
      await expect(chat.invoke("g", { message: "good" })).resolves.toMatchObject({
        content: "echo: good",
      });
      expect(mock().requestCount).toBe(2);
    },
  );

  it("opens after one 500 at the same threshold (the control)", async () => {
    const chat = router();
    mock().script({ type: "error", status: 500 });
    await expect(chat.invoke("g", { message: "x" })).rejects.toBeInstanceOf(ApiError);
    expect(state(chat)).toBe("open");
    await expect(chat.invoke("g", { message: "y" })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(mock().requestCount).toBe(1);
  });
});
