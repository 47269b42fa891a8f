// The routers are built in @fabricatio/gateway (the one package that sees both the config and
// the router besides this one), so the cache decision lives there too.
export type { CacheSettings } from "@fabricatio/gateway";
export { CACHE_FILE_NAME, describeCache } from "@fabricatio/gateway";
