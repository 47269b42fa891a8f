import { readFileSync } from "node:fs";

/** Resident set size of process `pid` in bytes, from `/proc/<pid>/status`; `undefined` elsewhere. */
export function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((entry) => entry.startsWith("VmRSS:"));
    const kib = Number(line?.split(/\s+/)[1]);
    return Number.isFinite(kib) ? kib * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Streams held open by {@link openStreams}. */
export interface OpenStreams {
  /** Streams that delivered their first chunk. */
  readonly open: number;
  /** Aborts every stream and closes the client. */
  close(): Promise<void>;
}

/**
 * Opens `count` streamed chat completions to `origin` at once and resolves once each has
 * delivered its first body chunk, so all of them are open in the gateway at the same time.
 * @throws when not all of them are open within `timeoutMs`
 */
export async function openStreams(options: {
  origin: string;
  path: string;
  headers: Record<string, string>;
  count: number;
  timeoutMs: number;
}): Promise<OpenStreams> {
  const { Agent } = await import("undici");
  const agent = new Agent({ connections: options.count + 10, headersTimeout: options.timeoutMs });
  const bodies: { destroy(): void }[] = [];
  const body = JSON.stringify({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "stream" }],
    stream: true,
  });
  let open = 0;
  const opening = Array.from({ length: options.count }, async () => {
    const response = await agent.request({
      origin: options.origin,
      path: options.path,
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: "Bearer sk-bench",
        ...options.headers,
      },
      body,
    });
    if (response.statusCode !== 200) {
      throw new Error(`a stream got HTTP ${response.statusCode}: ${await response.body.text()}`);
    }
    bodies.push(response.body);
    await new Promise<void>((resolve, reject) => {
      response.body.once("data", () => resolve());
      response.body.once("error", reject);
      response.body.once("end", () => reject(new Error("a stream ended before it was measured")));
    });
    open++;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`only ${open} of ${options.count} streams opened in ${options.timeoutMs} ms`),
        ),
      options.timeoutMs,
    );
  });
  const close = async () => {
    for (const stream of bodies) stream.destroy();
    await agent.destroy();
  };
  try {
    await Promise.race([Promise.all(opening), deadline]);
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { open, close };
}
