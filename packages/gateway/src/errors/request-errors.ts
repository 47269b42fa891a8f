import { GatewayError } from "./gateway-error.js";

/** A request body the gateway cannot take; `param` names the offending field. Answered 400. */
export class GatewayRequestError extends GatewayError {
  override readonly code = "GATEWAY_INVALID_REQUEST";
  override readonly status = 400;
  /** The request field, e.g. `messages`, `stream_options.include_usage` or `n`. */
  readonly param: string | undefined;
  constructor(param: string | undefined, reason: string) {
    super(param === undefined ? reason : `${param}: ${reason}`);
    this.param = param;
  }
}

/** No key, or a key that matches none configured. Answered 401. */
export class GatewayAuthError extends GatewayError {
  override readonly code = "GATEWAY_UNAUTHORIZED";
  override readonly status = 401;
  constructor(reason: string) {
    super(reason);
  }
}

/**
 * The `model` names no routing group of the endpoint's kind, or one the caller's key may not
 * call (the two are answered alike, so a key cannot probe for groups). Answered 404.
 */
export class ModelNotFoundError extends GatewayError {
  override readonly code = "GATEWAY_MODEL_NOT_FOUND";
  override readonly status = 404;
  /** The requested group. */
  readonly model: string;
  constructor(model: string, kind: string) {
    super(`The model "${model}" does not exist or you do not have access to it (${kind} groups)`);
    this.model = model;
  }
}
