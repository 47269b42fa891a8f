#!/usr/bin/env node
// Proves that what we publish works for a user: every public package is packed as npm would
// publish it, linted with publint, installed from its tarball into a scratch ESM project with
// plain npm, and imported there. Usage: node tools/smoke/check-packages.mjs [name ...]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const wanted = new Set(process.argv.slice(2));

const packages = readdirSync(path.join(root, "packages"))
  .map((dir) => path.join(root, "packages", dir))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")),
  }))
  .filter(({ manifest }) => !manifest.private)
  .filter(({ manifest }) => wanted.size === 0 || wanted.has(manifest.name));

const scratch = mkdtempSync(path.join(tmpdir(), "fabricatio-smoke-"));
let failures = 0;
try {
  const tarballs = [];
  for (const { dir, manifest } of packages) {
    const { messages, pkg } = await publint({ pkgDir: dir, level: "warning", strict: true });
    for (const message of messages) {
      console.error(`publint ${manifest.name}: ${formatMessage(message, pkg)}`);
      failures += 1;
    }
    const output = execFileSync("pnpm", ["pack", "--pack-destination", scratch, "--json"], {
      cwd: dir,
      encoding: "utf8",
    });
    tarballs.push(JSON.parse(output).filename);
  }
  // Every tarball of ours is installed together so internal dependencies resolve to the
  // packed versions, never to the registry.
  const allTarballs = readdirSync(scratch).filter((file) => file.endsWith(".tgz"));
  const project = path.join(scratch, "project");
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "scratch", private: true, type: "module" }),
  );
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      ...allTarballs.map((f) => path.join(scratch, f)),
    ],
    { cwd: project, stdio: "inherit" },
  );
  for (const { manifest } of packages) {
    const script = `const m = await import(${JSON.stringify(manifest.name)}); if (Object.keys(m).length === 0) { throw new Error("no exports"); } console.log(${JSON.stringify(manifest.name)}, "exports", Object.keys(m).length, "names");`;
    try {
      execFileSync("node", ["--input-type=module", "-e", script], {
        cwd: project,
        stdio: "inherit",
      });
    } catch {
      console.error(`import of ${manifest.name} from its tarball failed`);
      failures += 1;
    }
  }
  // Each leaf installs alone: a project with only @fabricatio/thryd (and what it lists) uses it.
  if (wanted.size === 0) {
    const alone = path.join(scratch, "thryd-alone");
    execFileSync("mkdir", ["-p", alone]);
    writeFileSync(
      path.join(alone, "package.json"),
      JSON.stringify({ name: "alone", private: true, type: "module" }),
    );
    const ours = (name) =>
      path.join(
        scratch,
        allTarballs.find((file) => file.startsWith(`fabricatio-${name}-`)),
      );
    execFileSync(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        ours("thryd"),
        ours("constants"),
        ours("logger"),
      ],
      { cwd: alone, stdio: "inherit" },
    );
    const script = [
      'import { countTokens, createCompletionRouter, DummyModel, DummyProvider } from "@fabricatio/thryd";',
      "const router = createCompletionRouter();",
      'router.addDeployment("g", new DummyModel({ kind: "completion", name: "m", provider: new DummyProvider("d") }).respond("hi"));',
      'const answer = await router.invoke("g", { message: "hello" });',
      'if (answer.content !== "hi" || countTokens("hello world") !== 2) throw new Error("thryd alone misbehaves");',
      'console.log("@fabricatio/thryd works alone");',
    ].join("\n");
    try {
      execFileSync("node", ["--input-type=module", "-e", script], { cwd: alone, stdio: "inherit" });
    } catch {
      console.error("@fabricatio/thryd installed alone does not work");
      failures += 1;
    }
    try {
      const help = execFileSync("npx", ["--no-install", "fabricatio", "--help"], {
        cwd: project,
        encoding: "utf8",
      });
      if (!help.includes("ask")) throw new Error(help);
      console.log("npx fabricatio --help works");
    } catch (error) {
      console.error(`npx fabricatio --help failed: ${error}`);
      failures += 1;
    }
  }
  console.log(`checked ${tarballs.length} package(s)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`${failures} problem(s) found`);
  process.exit(1);
}
