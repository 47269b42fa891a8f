/** Milliseconds to wait for a TCP connection to Redis before giving up on it. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;

/**
 * node-redis options for clients thryd creates from a URL. By default node-redis retries a
 * refused first connection forever and queues commands while disconnected, so a Redis outage
 * would hang every request; here the first connection fails at once, later drops reconnect in
 * the background, and commands issued meanwhile fail fast (the cache reports a miss, the
 * limiter a `RateLimitStoreError`).
 */
export function redisClientOptions(url: string) {
  let hasConnected = false;
  return {
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number, cause: Error): number | Error => {
        if (!hasConnected) return cause;
        return Math.min(2 ** retries * 50, 2_000);
      },
    },
    onReady: () => {
      hasConnected = true;
    },
  };
}
