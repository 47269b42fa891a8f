import { describe, expect, it } from "vitest";
import { Singleflight } from "./singleflight.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe("Singleflight", () => {
  it("runs one call for concurrent callers with the same key and gives all the result", async () => {
    const flights = new Singleflight();
    const upstream = deferred<string>();
    let calls = 0;
    const run = () => {
      calls++;
      return upstream.promise;
    };
    const waiting = [flights.run("k", run), flights.run("k", run), flights.run("other", run)];
    expect(calls).toBe(2);
    upstream.resolve("answer");
    await expect(Promise.all(waiting)).resolves.toEqual(["answer", "answer", "answer"]);
    expect(flights.size).toBe(0);
  });

  it("shares an error with every waiter and forgets the key", async () => {
    const flights = new Singleflight();
    const upstream = deferred<string>();
    const first = flights.run("k", () => upstream.promise);
    const second = flights.run("k", () => upstream.promise);
    upstream.reject(new Error("boom"));
    await expect(first).rejects.toThrow("boom");
    await expect(second).rejects.toThrow("boom");
    await expect(flights.run("k", async () => "fresh")).resolves.toBe("fresh");
  });

  it("detaches only the waiter whose signal fires", async () => {
    const flights = new Singleflight();
    const upstream = deferred<string>();
    let shared: AbortSignal | undefined;
    const controller = new AbortController();
    const leaving = flights.run(
      "k",
      (signal) => {
        shared = signal;
        return upstream.promise;
      },
      controller.signal,
    );
    const staying = flights.run("k", () => upstream.promise);
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: "THRYD_ABORTED" });
    expect(shared?.aborted).toBe(false);
    upstream.resolve("late");
    await expect(staying).resolves.toBe("late");
  });

  it("aborts the shared call when its last waiter leaves", async () => {
    const flights = new Singleflight();
    let shared: AbortSignal | undefined;
    const controller = new AbortController();
    const pending = flights.run(
      "k",
      (signal) => {
        shared = signal;
        return new Promise<string>(() => {});
      },
      controller.signal,
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "THRYD_ABORTED" });
    expect(shared?.aborted).toBe(true);
    expect(flights.size).toBe(0);
  });

  it("gives a leader without a signal a call without one: it can never be left alone", async () => {
    const flights = new Singleflight();
    let received: AbortSignal | undefined | "unset" = "unset";
    await flights.run("k", async (signal) => {
      received = signal;
      return 1;
    });
    expect(received).toBeUndefined();
  });
});
