import type { Logger } from "@fabricatio/logger";
import type { RouterCache } from "../cache/router-cache.js";
import type { Deployment } from "../limits/deployment.js";
import type { ModelKind } from "../types.js";
import type { DeploymentPicker } from "./deployment-picker.js";
import type { DispatchObserver } from "./dispatch-observer.js";
import type { RetryConfig } from "./retry.js";
import type { Sleep } from "./sleep.js";

/**
 * What every step of a request reads from its router: settings fixed at construction, and the
 * parts a router may change later (`retry`, the observer, the groups) as getters.
 */
export interface RequestContext<K extends ModelKind> {
  readonly kind: K;
  readonly cache: RouterCache | undefined;
  /** Time limit of one attempt unless the deployment or the call sets `timeoutMs`. */
  readonly timeoutMs: number | undefined;
  /** Longest silence inside a stream unless the deployment or the call sets one. */
  readonly streamIdleTimeoutMs: number | undefined;
  /** Longest `Retry-After` a retry waits for; a longer one fails with `RateLimitExceededError`. */
  readonly retryAfterMaxMs: number;
  readonly now: () => number;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly logger: Logger;
  readonly picker: DeploymentPicker<K>;
  /** The current retry policy (`setRetry` changes it). */
  retry(): RetryConfig | undefined;
  /** The dispatch observer, once a feature needs one. */
  observer(): DispatchObserver<K> | undefined;
  /** The deployments of a group. @throws {UnknownGroupError} */
  deploymentsOf(group: string): readonly Deployment<K>[];
}
