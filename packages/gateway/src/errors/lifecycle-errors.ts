import { GatewayError } from "./gateway-error.js";

/** A request took longer than the gateway's `request_timeout_s`. Answered 504. */
export class GatewayTimeoutError extends GatewayError {
  override readonly code = "GATEWAY_TIMEOUT";
  override readonly status = 504;
  /** The limit that was exceeded, in ms. */
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`The request took longer than the gateway's limit of ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The gateway is shutting down; the request was not taken, or not finished in time. Answered 503. */
export class GatewayShutdownError extends GatewayError {
  override readonly code = "GATEWAY_SHUTTING_DOWN";
  override readonly status = 503;
  constructor(reason: string) {
    super(reason);
  }
}

/** The gateway cannot start with these settings (a port taken, a store unreachable…). */
export class GatewayStartError extends GatewayError {
  override readonly code = "GATEWAY_START";
  constructor(reason: string, cause?: unknown) {
    super(reason, { cause });
  }
}
