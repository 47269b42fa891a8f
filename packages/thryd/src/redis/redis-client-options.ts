/** Milliseconds to wait for a TCP connection to Redis before giving up on it. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;

/** Reconnect attempts after a dropped connection before a queueing client gives up. */
const QUEUED_RECONNECT_ATTEMPTS = 5;

/**
 * node-redis options for clients thryd creates from a URL. By default node-redis retries a
 * refused connection forever and queues commands meanwhile, so a Redis outage would hang every
 * request. Here a refused first connection fails at once. After a drop, a client without an
 * offline queue (`queue: false`) fails commands at once and reconnects in the background; a
 * client with one (`queue: true`, for callers that send before the connection is ready) holds
 * commands through a few quick reconnect attempts, then gives up and fails them.
 */
export function redisClientOptions(url: string, { queue }: { queue: boolean }) {
  let hasConnected = false;
  return {
    url,
    disableOfflineQueue: !queue,
    socket: {
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries: number, cause: Error): number | Error => {
        if (!hasConnected || (queue && retries >= QUEUED_RECONNECT_ATTEMPTS)) {
          // The next connect starts afresh, and fails at once while Redis is still down.
          hasConnected = false;
          return cause;
        }
        return Math.min(2 ** retries * 50, 500);
      },
    },
    onReady: () => {
      hasConnected = true;
    },
  };
}
