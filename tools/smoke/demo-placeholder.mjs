// Stands in for `pnpm demo` until the umbrella package ships its demo (issue: the umbrella).
console.log(`Fabricatio for TypeScript — demo

The demo of the main job (a mock OpenAI-compatible server on loopback, a fabricatio.toml with two
deployments in one group, a cached completion, a rate-limited burst, embeddings and a rerank) is
built by the umbrella package "fabricatio" and is not there yet.

What works today: pnpm build && pnpm test`);
