import type { Config } from "@fabricatio/config";
import { getLogger } from "@fabricatio/logger";
import { createGateway, type Gateway, type ListeningAddress } from "./create-gateway.js";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** The configuration (`[gateway]` and `[routing]`). */
  config: Config;
  /** @default `gateway.port` */
  port?: number;
  /** @default `gateway.host` */
  host?: string;
  /** Environment of the providers. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Signals that start a graceful shutdown; a second one cuts the drain short. `[]` installs
   * no handler. @default ["SIGTERM", "SIGINT"]
   */
  signals?: readonly NodeJS.Signals[];
}

/** A running gateway started by {@link serve}. */
export interface ServingGateway extends ListeningAddress {
  readonly gateway: Gateway;
  /** Resolves when the gateway has shut down (after a signal, or `gateway.close()`). */
  readonly closed: Promise<void>;
}

/**
 * Builds the gateway from `config`, listens, and shuts it down gracefully on SIGTERM or SIGINT:
 * no new requests, in-flight ones and streams drain for `gateway.shutdown_timeout_s`, the rest
 * are aborted. What `fabricatio serve` runs.
 * @throws {GatewayStartError} when it cannot listen or reach a shared store
 */
export async function serve(options: ServeOptions): Promise<ServingGateway> {
  const gateway = await createGateway({ config: options.config, env: options.env });
  let address: ListeningAddress;
  try {
    address = await gateway.listen({ port: options.port, host: options.host });
  } catch (error) {
    await gateway.close({ timeoutMs: 0 });
    throw error;
  }
  const logger = getLogger("gateway:server");
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn(`${signal} again: aborting the requests still in flight`);
      void gateway.close({ timeoutMs: 0 });
      return;
    }
    signalled = true;
    logger.info(`${signal}: draining ${gateway.inFlight} requests in flight, then stopping`);
    void gateway.close().then(resolveClosed, (error: unknown) => {
      logger.error(`Shutdown failed: ${(error as Error)?.message ?? error}`);
      resolveClosed();
    });
  };
  for (const signal of signals) process.on(signal, onSignal);
  const originalClose = gateway.close.bind(gateway);
  const wrapped: Gateway = {
    get inFlight() {
      return gateway.inFlight;
    },
    listen: gateway.listen.bind(gateway),
    close: async (closeOptions) => {
      await originalClose(closeOptions);
      resolveClosed();
    },
  };
  void closed.then(() => {
    for (const signal of signals) process.off(signal, onSignal);
  });
  return { ...address, gateway: wrapped, closed };
}
