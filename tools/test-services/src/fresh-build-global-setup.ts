import type { TestProject } from "vitest/node";
import { ensureFreshBuild } from "./ensure-fresh-build.js";

/**
 * vitest `globalSetup` for packages whose tests run their own `dist/` (a CLI started as a
 * process): rebuilds it first when a source is newer, so `vitest run` right after an edit tests
 * the edit. Add `globalSetup: ["@fabricatio/test-services/fresh-build-setup"]` to the vitest config.
 */
export default async function setup(project: TestProject): Promise<void> {
  await ensureFreshBuild({ packageDir: project.config.root });
}
