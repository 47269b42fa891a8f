import { type MockLlmServer, startMockLlm } from "@fabricatio/mock-llm";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { closeHttpPools } from "../src/index.js";

/**
 * Starts one mock server for the test file, resets it before each test and closes it (and the
 * HTTP pools) after the file. Returns a getter, since the server exists only once `beforeAll` ran.
 */
export function useMockServer(): () => MockLlmServer {
  let server: MockLlmServer | undefined;
  beforeAll(async () => {
    server = await startMockLlm();
  });
  afterAll(async () => {
    await closeHttpPools();
    await server?.close();
  });
  beforeEach(() => server?.reset());
  return () => {
    if (!server) throw new Error("the mock server is not running");
    return server;
  };
}
