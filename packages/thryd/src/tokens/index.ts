// The `@fabricatio/thryd/tokens` entry: token counting without the router, so a program that only
// counts tokens (the `fabricatio tokens` command) loads neither undici nor the logger.
export { countTokens, countTokensBatch, TOKEN_CACHE_MAX_ENTRIES } from "./count-tokens.js";
