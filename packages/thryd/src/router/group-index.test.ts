import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "../errors/transport-errors.js";
import { Deployment, notifyDeploymentChanged } from "../limits/deployment.js";
import { MemoryRateLimitStore } from "../limits/memory-rate-limit-store.js";
import { type Reservation, SlidingWindow } from "../limits/sliding-window.js";
import type { RateLimiter, RateLimitStore, RateLimits } from "../limits/spec.js";
import { DummyModel } from "../models/dummy-model.js";
import { DummyProvider } from "../providers/dummy-provider.js";
import { CircuitBreaker } from "./circuit-breaker.js";
import { GroupIndex } from "./group-index.js";
import { routableDeployments } from "./routable.js";
import { scanDecision } from "./scan-decision.js";
import { ROUTING_STRATEGIES, type RoutingStrategy } from "./strategies.js";

const provider = new DummyProvider();
// An epoch-like start, so that buckets and windows are computed on realistic clock values.
const START_MS = 1_700_000_000_123;

// A store whose limiters tell nothing about themselves (no snapshot, no watch): the index must
// ask them every time, as the scan does.
class OpaqueStore implements RateLimitStore {
  readonly name = "opaque";
  limiter(_key: string, limits: RateLimits): RateLimiter {
    const window = new SlidingWindow(limits);
    return {
      usage: (nowMs) => window.usage(nowMs),
      waitMs: (tokens, nowMs) => window.waitMs(tokens, nowMs),
      tryReserve: (tokens, nowMs) => window.tryReserve(tokens, nowMs),
      reconcile: (reservation, tokens, nowMs) => window.reconcile(reservation, tokens, nowMs),
      release: (reservation) => window.release(reservation),
    };
  }
}

interface DeploymentSpec {
  rpm: number | undefined;
  tpm: number | undefined;
  contextWindow: number | undefined;
  windowS: number;
  limiter: "own" | "shared" | "opaque";
}

const deploymentSpec: fc.Arbitrary<DeploymentSpec> = fc.record({
  rpm: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  // Small quotas against small requests, so that decisions land on the edge of a TPM often.
  tpm: fc.option(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 300 })), {
    nil: undefined,
  }),
  contextWindow: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
  windowS: fc.constantFrom(1, 2, 5),
  limiter: fc.constantFrom("own", "own", "shared", "opaque"),
});

// Whole numbers mostly (as estimates and reported usage are), halves to exercise inexact room.
const tokens = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 12 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 320 }), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 80 }).map((half) => half / 2), weight: 1 },
);
const pick = fc.nat({ max: 1_000 });
const operation = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant("decide"), tokens, dispatch: fc.boolean() }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("settle"), pick, tokens, release: fc.boolean() }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("circuit"),
      pick,
      outcome: fc.constantFrom("fail", "bare429", "succeed", "probe"),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("clock"),
      stepMs: fc.oneof(
        fc.integer({ min: 0, max: 1_500 }),
        fc.constantFrom(1, 999, 1_000, 1_001, 5_000, 30_000),
        // An injected clock may step back: every snapshot is then taken again.
        fc.constantFrom(-1, -1_500),
      ),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("busy"), pick, delta: fc.constantFrom(-1, 1) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant("order"), tokens }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("deploy"), spec: deploymentSpec }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("undeploy"), pick }), weight: 1 },
);

const scenario = fc.record({
  strategy: fc.constantFrom(...ROUTING_STRATEGIES),
  deployments: fc.array(deploymentSpec, { minLength: 1, maxLength: 12 }),
  breaker: fc.option(
    fc.record({
      failureThreshold: fc.integer({ min: 1, max: 2 }),
      cooldownMs: fc.integer({ min: 200, max: 4_000 }),
    }),
    { nil: undefined },
  ),
  operations: fc.array(operation, { maxLength: 120 }),
});

// What a decision came to, errors included, in a form `toEqual` compares.
function outcome<T>(decide: () => T): T | { error: string; fields: unknown } {
  try {
    return decide();
  } catch (error) {
    const { code, retryAtMs, tokens, largestWindow } = error as Record<string, unknown>;
    return { error: String(code), fields: { retryAtMs, tokens, largestWindow } };
  }
}

// The order in which the router used to try a shared group's candidates: the definition.
function referenceOrder(
  strategy: RoutingStrategy,
  deployments: readonly Deployment[],
  cursor: number,
  tokens: number,
  nowMs: number,
  breaker: CircuitBreaker | undefined,
): number[] {
  const candidates = routableDeployments({ group: "g", deployments, tokens, nowMs, breaker });
  const slots = candidates.map((deployment) => deployments.indexOf(deployment));
  if (strategy === "first-available") return slots;
  const start = Math.max(
    0,
    slots.findIndex((slot) => slot >= cursor),
  );
  const rotated = slots.map((_, offset) => slots[(start + offset) % slots.length]!);
  if (strategy === "least-busy") {
    rotated.sort((left, right) => deployments[left]!.inFlight - deployments[right]!.inFlight);
  }
  return rotated;
}

class Simulation {
  deployments: Deployment<"completion">[] = [];
  readonly breaker: CircuitBreaker | undefined;
  readonly index: GroupIndex<"completion">;
  readonly outstanding: {
    deployment: Deployment<"completion">;
    reservation: Reservation;
    sent: boolean;
  }[] = [];
  nowMs = START_MS;
  // The reference keeps the rotation as "starts at this deployment" (undefined: the first).
  rotationStart: Deployment<"completion"> | undefined;
  #names = 0;
  readonly #shared = new MemoryRateLimitStore();
  readonly #opaque = new OpaqueStore();

  constructor(
    readonly strategy: RoutingStrategy,
    specs: DeploymentSpec[],
    breaker: { failureThreshold: number; cooldownMs: number } | undefined,
  ) {
    this.breaker = breaker ? new CircuitBreaker(breaker) : undefined;
    this.breaker?.onChange(notifyDeploymentChanged);
    for (const spec of specs) this.deployments.push(this.#make(spec));
    this.index = new GroupIndex("g", this.deployments, this.breaker);
  }

  #make(spec: DeploymentSpec): Deployment<"completion"> {
    const name = `m${this.#names++}`;
    const model = new DummyModel({ kind: "completion", provider, name });
    const store =
      spec.limiter === "shared"
        ? this.#shared
        : spec.limiter === "opaque"
          ? this.#opaque
          : undefined;
    return new Deployment("g", model, {
      rpm: spec.rpm,
      tpm: spec.tpm,
      contextWindow: spec.contextWindow,
      windowS: spec.windowS,
      store,
      storeKey: spec.limiter === "shared" ? `shared-${spec.windowS}` : undefined,
    });
  }

  get cursor(): number {
    return this.rotationStart ? this.deployments.indexOf(this.rotationStart) : 0;
  }

  decide(tokens: number, dispatch: boolean): void {
    const expected = outcome(() =>
      scanDecision({
        group: "g",
        strategy: this.strategy,
        deployments: this.deployments,
        cursor: this.cursor,
        tokens,
        nowMs: this.nowMs,
        breaker: this.breaker,
      }),
    );
    const actual = outcome(() => this.index.decide(this.strategy, tokens, this.nowMs));
    expect(actual).toEqual(expected);
    if (!("slot" in actual) || actual.slot < 0) return;
    const deployment = this.deployments[actual.slot]!;
    const reservation = deployment.tryReserve(tokens, this.nowMs);
    expect(typeof reservation).toBe("object");
    this.index.picked(actual.slot);
    this.rotationStart = this.deployments[actual.slot + 1];
    this.outstanding.push({ deployment, reservation: reservation as Reservation, sent: dispatch });
    if (dispatch) {
      deployment.inFlight++;
      this.breaker?.dispatched(deployment, this.nowMs);
    }
  }

  order(tokens: number): void {
    const expected = outcome(() =>
      referenceOrder(
        this.strategy,
        this.deployments,
        this.cursor,
        tokens,
        this.nowMs,
        this.breaker,
      ),
    );
    const actual = outcome(() => {
      const order = this.index.order(this.strategy, tokens, this.nowMs);
      const slots: number[] = [];
      for (let next = order.next(); next; next = order.next()) slots.push(next.slot);
      return slots;
    });
    expect(actual).toEqual(expected);
  }

  settle(pick: number, tokens: number, release: boolean): void {
    if (this.outstanding.length === 0) return;
    const [entry] = this.outstanding.splice(pick % this.outstanding.length, 1);
    const { deployment, reservation, sent } = entry!;
    if (release) deployment.limiter?.release(reservation);
    else deployment.limiter?.reconcile(reservation, tokens, this.nowMs);
    if (sent) deployment.inFlight--;
  }

  circuit(pick: number, outcome: string): void {
    const breaker = this.breaker;
    if (!breaker) return;
    const deployment = this.deployments[pick % this.deployments.length]!;
    if (outcome === "succeed") breaker.succeeded(deployment);
    else if (outcome === "probe") breaker.dispatched(deployment, this.nowMs);
    else if (outcome === "bare429") {
      breaker.failed(deployment, new ApiError({ status: 429, body: "", url: "u" }), this.nowMs);
    } else breaker.failed(deployment, new Error("reset"), this.nowMs);
  }

  busy(pick: number, delta: number): void {
    const deployment = this.deployments[pick % this.deployments.length]!;
    deployment.inFlight = Math.max(0, deployment.inFlight + delta);
  }

  deploy(spec: DeploymentSpec): void {
    // In place, as the router's addDeployment does: the index appends.
    this.deployments.push(this.#make(spec));
    this.index.follow(this.deployments);
  }

  undeploy(pick: number): void {
    if (this.deployments.length === 1) return;
    const position = pick % this.deployments.length;
    const removed = this.deployments[position]!;
    if (removed === this.rotationStart) this.rotationStart = this.deployments[position + 1];
    // A new array, as the router's undeploy makes: the index rebuilds.
    this.deployments = this.deployments.filter((deployment) => deployment !== removed);
    this.index.follow(this.deployments);
  }
}

describe("GroupIndex", () => {
  it("decides as the scan over every deployment does, over random sequences of reservations, releases, circuit changes, clock steps and group changes", () => {
    fc.assert(
      fc.property(scenario, ({ strategy, deployments, breaker, operations }) => {
        const simulation = new Simulation(strategy, deployments, breaker);
        for (const operation of operations) {
          switch (operation.kind) {
            case "decide":
              simulation.decide(operation.tokens, operation.dispatch);
              break;
            case "settle":
              simulation.settle(operation.pick, operation.tokens, operation.release);
              break;
            case "circuit":
              simulation.circuit(operation.pick, operation.outcome);
              break;
            case "clock":
              simulation.nowMs += operation.stepMs;
              break;
            case "busy":
              simulation.busy(operation.pick, operation.delta);
              break;
            case "order":
              simulation.order(operation.tokens);
              break;
            case "deploy":
              simulation.deploy(operation.spec);
              break;
            case "undeploy":
              simulation.undeploy(operation.pick);
              break;
          }
        }
        // And once more for each size of request, after everything.
        for (const size of [0, 1, 50, 301]) simulation.order(size);
      }),
      // Fixed seed: a failure names its counterexample and replays the same on every run.
      { seed: 26, numRuns: 400 },
    );
  }, 60_000);

  it("asks only a handful of limiters to decide in a group of 10,000", () => {
    let asked = 0;
    class CountingWindow extends SlidingWindow {
      override waitMs(tokens: number, nowMs: number): number {
        asked++;
        return super.waitMs(tokens, nowMs);
      }
    }
    const store: RateLimitStore = {
      name: "counting",
      limiter: (_key, limits) => new CountingWindow(limits),
    };
    const deployments = Array.from(
      { length: 10_000 },
      (_, index) =>
        new Deployment(
          "g",
          new DummyModel({ kind: "completion", provider, name: `m${index}` }),
          // Only the last one has room: the others have spent their quota of 2 requests.
          { rpm: 2, tpm: 1_000, store, storeKey: `k${index}` },
        ),
    );
    for (const deployment of deployments.slice(0, -1)) {
      for (const answeredMs of [START_MS - 500, START_MS]) {
        const reservation = deployment.tryReserve(10, answeredMs) as Reservation;
        deployment.limiter!.reconcile(reservation, 10, answeredMs);
      }
    }
    deployments.at(-1)!.tryReserve(10, START_MS);
    for (const strategy of ROUTING_STRATEGIES) {
      const index = new GroupIndex("g", deployments, undefined);
      asked = 0;
      expect(index.decide(strategy, 10, START_MS)).toEqual({ slot: 9_999, waitMs: 0 });
      expect(asked).toBeLessThanOrEqual(2);
      // Now every one is full: the wait comes from bounds, not from asking every limiter.
      const last = deployments.at(-1)!;
      const reservation = last.tryReserve(10, START_MS) as Reservation;
      asked = 0;
      const decision = index.decide(strategy, 10, START_MS);
      const askedForWait = asked;
      const scan = { group: "g", deployments, cursor: 0, nowMs: START_MS, breaker: undefined };
      expect(decision).toEqual(scanDecision({ ...scan, strategy, tokens: 10 }));
      expect(decision.slot).toBe(-1);
      last.limiter!.release(reservation);
      asked = askedForWait;
      expect(asked).toBeLessThanOrEqual(20);
    }
  }, 60_000);

  it("sees a window roll over and a circuit turn half-open without being told", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 5_000 });
    breaker.onChange(notifyDeploymentChanged);
    const make = (name: string) =>
      new Deployment("g", new DummyModel({ kind: "completion", provider, name }), {
        rpm: 1,
        windowS: 2,
      });
    const deployments = [make("a"), make("b")];
    const index = new GroupIndex("g", deployments, breaker);
    const [a, b] = deployments as [Deployment, Deployment];
    a.limiter!.reconcile(a.tryReserve(0, START_MS) as Reservation, 0, START_MS);
    breaker.failed(b, new Error("down"), START_MS);
    const first = index.decide("least-wait", 0, START_MS);
    expect(first.slot).toBe(-1);
    // a's request leaves its 2 s window (plus the bucket it fell in) before b's cooldown ends.
    const scan = { group: "g", deployments, cursor: 0, tokens: 0, nowMs: START_MS, breaker };
    expect(first.waitMs).toBe(scanDecision({ ...scan, strategy: "least-wait" }).waitMs);
    expect(first.waitMs).toBeLessThan(5_000);
    expect(index.decide("least-wait", 0, START_MS + first.waitMs)).toEqual({ slot: 0, waitMs: 0 });
    a.tryReserve(0, START_MS + first.waitMs);
    expect(index.decide("least-wait", 0, START_MS + 5_000)).toEqual({ slot: 1, waitMs: 0 });
  });

  it("keeps the rotation's place when a deployment before it leaves the group", () => {
    const make = (name: string) =>
      new Deployment("g", new DummyModel({ kind: "completion", provider, name }));
    const deployments = ["a", "b", "c", "d"].map(make);
    const index = new GroupIndex("g", deployments, undefined);
    index.picked(index.decide("round-robin", 0, START_MS).slot);
    index.picked(index.decide("round-robin", 0, START_MS).slot);
    // Next is c; a leaves, and c is still next (now at position 1).
    const remaining = deployments.filter((_, position) => position !== 0);
    index.follow(remaining);
    const next = index.decide("round-robin", 0, START_MS).slot;
    expect(remaining[next]?.model.name).toBe("c");
  });
});
