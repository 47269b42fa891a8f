// The load of rate-limit-accounting.test.ts, run in its own process so that the mock server's
// arrival log is not held up by the router's work in the same event loop: a first wave fills
// one deployment's window at once (every fifth caller aborting while its request is out), a
// second wave queues for room (every fourth caller giving up at some point), every call with a
// short time limit. Prints how the calls ended as JSON.
import {
  AbortedError,
  closeHttpPools,
  createCompletionRouter,
  OpenAICompatibleProvider,
  TimeoutError,
} from "../../dist/index.js";

const [mockUrl, rpm, windowS, timeoutMs] = process.argv
  .slice(2)
  .map((value, index) => (index === 0 ? value : Number(value)));
const router = createCompletionRouter().addProvider(
  new OpenAICompatibleProvider({ name: "mock", apiKey: "sk-worker", baseUrl: mockUrl }),
);
router.deploy("g", "mock/m", { rpm, windowS });
// Warm up the HTTP pool and the token counter on a group without limits.
router.deploy("warm-up", "mock/m");
await router.invoke("warm-up", { message: "warm-up" });

const options = (abortAfterMs) => {
  const base = { timeoutMs, maxWaitMs: 60_000 };
  if (abortAfterMs === undefined) return base;
  const controller = new AbortController();
  setTimeout(() => controller.abort(), abortAfterMs);
  return { ...base, signal: controller.signal };
};
const outcome = (promise) =>
  promise.then(
    () => "ok",
    (error) =>
      error instanceof TimeoutError
        ? "timeout"
        : error instanceof AbortedError
          ? "aborted"
          : `other: ${error?.message}`,
  );
const calls = [];
for (let index = 0; index < rpm; index++) {
  const abortAfterMs = index % 5 === 0 ? timeoutMs / 3 : undefined;
  calls.push(outcome(router.invoke("g", { message: `a${index}` }, options(abortAfterMs))));
}
for (let index = 0; index < 2 * rpm; index++) {
  const abortAfterMs = index % 4 === 0 ? 200 + index * 60 : undefined;
  calls.push(outcome(router.invoke("g", { message: `b${index}` }, options(abortAfterMs))));
}
const outcomes = await Promise.all(calls);
await closeHttpPools();
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
