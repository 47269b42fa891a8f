// A worker of cache-broken.test.ts, run as a user who cannot write the cache file: reads an entry
// stored earlier, asks a new question (whose write fails), asks it again (from memory), and
// prints what it got as JSON. Warnings go to stderr.
import { initLogger } from "@fabricatio/logger";
import { createCompletionRouter, DummyProvider, RouterCache } from "../../dist/index.js";

const [file] = process.argv.slice(2);
initLogger({ level: "WARN", colorize: false });
const cache = new RouterCache({ path: file });
const provider = new DummyProvider();
const router = createCompletionRouter({ cache }).addProvider(provider);
router.deploy("g", "dummy/a");
const model = provider.model("completion", "a");
model.respond("new answer");
const old = (await router.invoke("g", { message: "old" })).content;
const fresh = (await router.invoke("g", { message: "new" })).content;
const repeated = (await router.invoke("g", { message: "new" })).content;
await cache.close();
process.stdout.write(JSON.stringify({ old, fresh, repeated, modelCalls: model.calls.length }));
