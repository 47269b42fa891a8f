import { ThrydError } from "./thryd-error.js";

/**
 * Every deployment of the group that could take the request is cooling down after failures
 * (circuit open). `retryAtMs` is the epoch time the first one turns half-open.
 */
export class CircuitOpenError extends ThrydError {
  override readonly code = "THRYD_CIRCUIT_OPEN";
  readonly group: string;
  readonly retryAtMs: number;
  constructor(group: string, retryAtMs: number) {
    super(
      `Every deployment of group "${group}" is cooling down after failures until ${new Date(retryAtMs).toISOString()}`,
    );
    this.group = group;
    this.retryAtMs = retryAtMs;
  }
}
