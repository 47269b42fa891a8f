import { describe, expect, it } from "vitest";
import { ApiError, TimeoutError } from "../errors/transport-errors.js";
import { usageOf } from "../models/usage.js";
import { LatencyHistogram } from "./latency-histogram.js";
import { MetricsCollector } from "./metrics.js";
import { renderPrometheus } from "./prometheus.js";

describe("LatencyHistogram", () => {
  it("gives quantiles within 5 % of the exact ones", () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms++) histogram.record(ms);
    for (const [q, exact] of [
      [0.5, 500],
      [0.95, 950],
      [0.99, 990],
    ] as const) {
      expect(Math.abs(histogram.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.05);
    }
    expect(histogram.count).toBe(1000);
    expect(histogram.sumMs).toBe(500_500);
  });

  it("reports 0 without samples and clamps huge values into the last bucket", () => {
    const histogram = new LatencyHistogram();
    expect(histogram.quantile(0.5)).toBe(0);
    histogram.record(1e12);
    expect(histogram.quantile(0.99)).toBeGreaterThan(600_000);
  });
});

describe("MetricsCollector", () => {
  it("counts requests, errors by code, tokens and cache lookups", () => {
    const collector = new MetricsCollector();
    const deployment = {
      id: "p/m",
      group: "g",
      inFlight: 2,
      limiter: { usage: () => ({ requests: 3, tokens: 40 }) },
    };
    collector.succeeded(deployment, usageOf(10, 5), 20, 0.001);
    collector.failed(deployment, new ApiError({ status: 503, body: "", url: "u" }), 5);
    collector.failed(deployment, new TimeoutError("u", 10), 10);
    collector.cache("g", true);
    collector.cache("g", false);
    collector.cache("g", false);
    const snapshot = collector.snapshot([deployment], 0);
    expect(snapshot.deployments[0]).toMatchObject({
      requests: 3,
      errors: { THRYD_API_ERROR_503: 1, THRYD_TIMEOUT: 1 },
      promptTokens: 10,
      completionTokens: 5,
      costUsd: 0.001,
      inFlight: 2,
      window: { requests: 3, tokens: 40 },
      latencyMs: { count: 3, sumMs: 35 },
    });
    expect(snapshot.groups).toEqual([{ group: "g", cacheHits: 1, cacheMisses: 2 }]);
  });
});

describe("renderPrometheus", () => {
  it("writes the text format 0.0.4 with HELP, TYPE, escaped labels and a summary", () => {
    const text = renderPrometheus({
      deployments: [
        {
          group: 'we"ird\\group\n',
          deployment: "p/m",
          requests: 2,
          errors: { THRYD_API_ERROR_500: 1 },
          promptTokens: 7,
          completionTokens: 3,
          costUsd: 0.5,
          latencyMs: { count: 2, sumMs: 300, p50: 100, p95: 200, p99: 200 },
          inFlight: 0,
          window: undefined,
        },
      ],
      groups: [{ group: "g", cacheHits: 4, cacheMisses: 1 }],
    });
    const labels = 'group="we\\"ird\\\\group\\n",deployment="p/m"';
    expect(text).toBe(
      [
        "# HELP thryd_requests_total Requests dispatched to a deployment, retries included.",
        "# TYPE thryd_requests_total counter",
        `thryd_requests_total{${labels}} 2`,
        "# HELP thryd_errors_total Failed requests by error code.",
        "# TYPE thryd_errors_total counter",
        `thryd_errors_total{${labels},code="THRYD_API_ERROR_500"} 1`,
        "# HELP thryd_tokens_total Tokens reported by the provider.",
        "# TYPE thryd_tokens_total counter",
        `thryd_tokens_total{${labels},type="prompt"} 7`,
        `thryd_tokens_total{${labels},type="completion"} 3`,
        "# HELP thryd_cost_usd_total Spend in USD at the deployment's configured price.",
        "# TYPE thryd_cost_usd_total counter",
        `thryd_cost_usd_total{${labels}} 0.5`,
        "# HELP thryd_request_duration_seconds Time from dispatch to the complete answer.",
        "# TYPE thryd_request_duration_seconds summary",
        `thryd_request_duration_seconds{${labels},quantile="0.5"} 0.1`,
        `thryd_request_duration_seconds{${labels},quantile="0.95"} 0.2`,
        `thryd_request_duration_seconds{${labels},quantile="0.99"} 0.2`,
        `thryd_request_duration_seconds_sum{${labels}} 0.3`,
        `thryd_request_duration_seconds_count{${labels}} 2`,
        "# HELP thryd_in_flight Requests dispatched and not yet answered.",
        "# TYPE thryd_in_flight gauge",
        `thryd_in_flight{${labels}} 0`,
        "# HELP thryd_cache_hits_total Answers served from the cache.",
        "# TYPE thryd_cache_hits_total counter",
        'thryd_cache_hits_total{group="g"} 4',
        "# HELP thryd_cache_misses_total Cache lookups that found nothing.",
        "# TYPE thryd_cache_misses_total counter",
        'thryd_cache_misses_total{group="g"} 1',
        "",
      ].join("\n"),
    );
  });

  it("writes nothing for an empty snapshot", () => {
    expect(renderPrometheus({ deployments: [], groups: [] })).toBe("");
  });
});
