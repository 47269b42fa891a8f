import { ProviderCreateError } from "../errors/router-errors.js";

/**
 * Parses a base URL and makes its path end in `/`, so that `https://host/v1` and
 * `https://host/v1/` both resolve `chat/completions` to `https://host/v1/chat/completions`
 * (the original dropped the `/v1` segment when the slash was missing).
 * @throws {ProviderCreateError} when the URL does not parse or is not http(s)
 */
export function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new ProviderCreateError(`Endpoint "${baseUrl}" is not a valid URL`, { cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ProviderCreateError(`Endpoint "${baseUrl}" must use http or https`);
  }
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`;
  return url.toString();
}

/** Resolves an endpoint path (with or without a leading `/`) under a normalised base URL. */
export function resolveUnder(baseUrl: string, path: string): URL {
  return new URL(path.replace(/^\/+/, ""), baseUrl);
}
