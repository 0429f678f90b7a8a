// `npm run prepare` (run by `npm ci`, `npm install`, `npm pack` and `npm publish`): builds the package into dist/.
// dist/ is emptied first (a module renamed since must not ship), then tsc compiles plugins/ and the commands
// (tsconfig.build.json), then every file under plugins/ that is not TypeScript or documentation is copied beside
// the compiled modules, which find them through import.meta.url: the snippet runners' Python, the crawl's in-page
// script, and whatever such file is added later.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist");
const BUILD_STARTED = ".build-started";

/** Files the compiled code reads at run time: not sources (.ts), docs, tests (Python's included) or caches. */
function isRuntimeAsset(file) {
  const parts = file.split(path.sep);
  const name = parts.at(-1);
  if (/\.(ts|md)$/.test(name) || /^(test_.*|.*_test|conftest)\.py$/.test(name)) return false;
  return !parts.some((p) => p === "__pycache__" || p === "tests" || p.startsWith("."));
}

fs.rmSync(dist, { recursive: true, force: true });
// when this build began, for scripts/run-cli.mjs: a source modified after it makes dist/ stale (a file's time, by the
// same clock as the sources'; statting every output for the oldest cost each `npm run` a few tens of milliseconds)
fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(path.join(dist, BUILD_STARTED), "");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

let copied = 0;
for (const entry of fs.readdirSync(path.join(root, "plugins"), { withFileTypes: true, recursive: true })) {
  const from = path.join(entry.parentPath, entry.name);
  const rel = path.relative(root, from);
  if (!entry.isFile() || !isRuntimeAsset(rel)) continue;
  fs.mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
  fs.copyFileSync(from, path.join(dist, rel));
  copied++;
}
console.log(`dist/: compiled plugins/ and scripts/, copied ${copied} runtime files`);
