import { redactSecrets } from "@fabricatio/logger";

const ERROR_BRAND = Symbol.for("fabricatio.error");

/** Options every gateway error accepts. */
export interface GatewayErrorOptions {
  /** The error this one wraps. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by `@fabricatio/gateway`. Check `code`, not `instanceof`.
 * `status` is the HTTP status the gateway answers with; the message never shows a secret.
 */
export class GatewayError extends Error {
  /** Stable machine-readable code, `GATEWAY_*`. */
  readonly code: string = "GATEWAY_ERROR";
  /** The HTTP status of the answer. */
  readonly status: number = 500;
  readonly [ERROR_BRAND] = true;

  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(
      redactSecrets(message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
  }
}

/** True for any gateway error, even one from a second copy of the package. */
export function isGatewayError(value: unknown): value is GatewayError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === "string" &&
    (value as { code: string }).code.startsWith("GATEWAY_")
  );
}
