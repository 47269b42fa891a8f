import { createHash } from "node:crypto";
import { Agent } from "undici";

const agents = new Map<string, Agent>();
// Bumped by closeHttpPools, so clients that hold on to an agent know to fetch a new one.
let generation = 0;
const fingerprints = new Map<string, string>();

// The original pools clients by URL alone, so a second provider with another key at the same URL
// reuses the first one's Authorization header. We key by endpoint and credential fingerprint,
// and headers are sent per request, never baked into the pool.
function poolKey(origin: string, credential: string): string {
  let fingerprint = fingerprints.get(credential);
  if (!fingerprint) {
    fingerprint = createHash("sha256").update(credential).digest("base64url").slice(0, 22);
    fingerprints.set(credential, fingerprint);
  }
  return `${origin}#${fingerprint}`;
}

/** The keep-alive connection pool for one endpoint origin and credential, created on first use. */
export function getHttpAgent(origin: string, credential: string): Agent {
  const key = poolKey(origin, credential);
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
    agents.set(key, agent);
  }
  return agent;
}

/** Changes each time the pools are closed; an agent from an earlier generation is closed. */
export function httpPoolGeneration(): number {
  return generation;
}

/** Number of live connection pools (one per endpoint and credential). */
export function httpPoolCount(): number {
  return agents.size;
}

/** Closes every pooled connection, e.g. before a process exits or between test files. */
export async function closeHttpPools(): Promise<void> {
  const open = [...agents.values()];
  agents.clear();
  generation++;
  fingerprints.clear();
  await Promise.all(open.map((agent) => agent.close()));
}
