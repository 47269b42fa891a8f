/** Requests answered by the gateway, per route and status, for `/metrics`. */
export class GatewayCounters {
  readonly #counts = new Map<string, { route: string; status: number; count: number }>();

  /** Counts one answered request. */
  add(route: string, status: number): void {
    const id = `${route} ${status}`;
    const entry = this.#counts.get(id);
    if (entry) entry.count++;
    else this.#counts.set(id, { route, status, count: 1 });
  }

  /** The counters as Prometheus text lines, with `inFlight` requests and streams. */
  render(inFlight: number): string {
    const lines = [
      "# HELP fabricatio_gateway_requests_total Requests answered by the gateway, by route and status.",
      "# TYPE fabricatio_gateway_requests_total counter",
    ];
    for (const { route, status, count } of this.#counts.values()) {
      lines.push(`fabricatio_gateway_requests_total{route="${route}",status="${status}"} ${count}`);
    }
    lines.push(
      "# HELP fabricatio_gateway_in_flight Requests and streams in progress.",
      "# TYPE fabricatio_gateway_in_flight gauge",
      `fabricatio_gateway_in_flight ${inFlight}`,
    );
    return `${lines.join("\n")}\n`;
  }
}
