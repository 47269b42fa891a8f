import type { DeploymentMetrics, MetricsSnapshot } from "./metrics.js";

type Labels = Record<string, string>;
type Sample = [labels: Labels, value: number];

// Text exposition format 0.0.4: label values escape backslash, double quote and newline; HELP
// text escapes backslash and newline.
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function line(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, label]) => `${key}="${escapeLabel(label)}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${formatValue(value)}`;
}

function family(name: string, type: string, help: string, samples: Sample[]): string[] {
  if (samples.length === 0) return [];
  return [
    `# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`,
    `# TYPE ${name} ${type}`,
    ...samples.map(([labels, value]) => line(name, labels, value)),
  ];
}

const ids = (metrics: DeploymentMetrics): Labels => ({
  group: metrics.group,
  deployment: metrics.deployment,
});

/**
 * Renders a metrics snapshot in the Prometheus text exposition format 0.0.4 (serve it with
 * `content-type: text/plain; version=0.0.4`). Latency is a summary in seconds.
 */
export function renderPrometheus(snapshot: MetricsSnapshot): string {
  const deployments = snapshot.deployments;
  const durations: string[] = [];
  if (deployments.length > 0) {
    durations.push(
      "# HELP thryd_request_duration_seconds Time from dispatch to the complete answer.",
      "# TYPE thryd_request_duration_seconds summary",
    );
    for (const metrics of deployments) {
      const latency = metrics.latencyMs;
      for (const [quantile, ms] of [
        ["0.5", latency.p50],
        ["0.95", latency.p95],
        ["0.99", latency.p99],
      ] as const) {
        durations.push(
          line("thryd_request_duration_seconds", { ...ids(metrics), quantile }, ms / 1000),
        );
      }
      durations.push(
        line("thryd_request_duration_seconds_sum", ids(metrics), latency.sumMs / 1000),
      );
      durations.push(line("thryd_request_duration_seconds_count", ids(metrics), latency.count));
    }
  }
  const lines = [
    ...family(
      "thryd_requests_total",
      "counter",
      "Requests dispatched to a deployment, retries included.",
      deployments.map((metrics) => [ids(metrics), metrics.requests]),
    ),
    ...family(
      "thryd_errors_total",
      "counter",
      "Failed requests by error code.",
      deployments.flatMap((metrics) =>
        Object.entries(metrics.errors).map(
          ([code, count]): Sample => [{ ...ids(metrics), code }, count],
        ),
      ),
    ),
    ...family(
      "thryd_tokens_total",
      "counter",
      "Tokens reported by the provider.",
      deployments.flatMap((metrics): Sample[] => [
        [{ ...ids(metrics), type: "prompt" }, metrics.promptTokens],
        [{ ...ids(metrics), type: "completion" }, metrics.completionTokens],
      ]),
    ),
    ...family(
      "thryd_cost_usd_total",
      "counter",
      "Spend in USD at the deployment's configured price.",
      deployments.map((metrics) => [ids(metrics), metrics.costUsd]),
    ),
    ...durations,
    ...family(
      "thryd_in_flight",
      "gauge",
      "Requests dispatched and not yet answered.",
      deployments.map((metrics) => [ids(metrics), metrics.inFlight]),
    ),
    ...family(
      "thryd_window_requests",
      "gauge",
      "Requests counted in the current rate-limit window.",
      deployments.flatMap((metrics): Sample[] =>
        metrics.window ? [[ids(metrics), metrics.window.requests]] : [],
      ),
    ),
    ...family(
      "thryd_window_tokens",
      "gauge",
      "Tokens counted in the current rate-limit window.",
      deployments.flatMap((metrics): Sample[] =>
        metrics.window ? [[ids(metrics), metrics.window.tokens]] : [],
      ),
    ),
    ...family(
      "thryd_cache_hits_total",
      "counter",
      "Answers served from the cache.",
      snapshot.groups.map((group) => [{ group: group.group }, group.cacheHits]),
    ),
    ...family(
      "thryd_cache_misses_total",
      "counter",
      "Cache lookups that found nothing.",
      snapshot.groups.map((group) => [{ group: group.group }, group.cacheMisses]),
    ),
  ];
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
