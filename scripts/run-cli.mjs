// `npm run build|start|verify|check|new`: runs the compiled CLI in dist/ (what `npm ci` builds through `prepare`)
// when dist/ is newer than every source it is compiled from, else the TypeScript sources through tsx, saying so.
// Loading the sources through tsx costs about 2 s of every run; the compiled modules load in a fraction of that.
// Plain JavaScript, so that it runs before anything is compiled. Tests spawn the sources themselves (tests/helpers).
//
//   node scripts/run-cli.mjs <build|serve|verify|check|new> [options]
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist");
const compiledCli = path.join(dist, "scripts/cli.js");

/** Each command's source module, with the arguments it adds (`serve` is `build --serve`, as in scripts/cli.ts). */
const SOURCES = {
  build: ["build.ts"],
  serve: ["build.ts", "--serve"],
  verify: ["verify.ts"],
  check: ["check.ts"],
  new: ["new.ts"],
};

/**
 * Whether a file under plugins/ is something dist/ is made from (scripts/package-dist.mjs compiles the TypeScript
 * and copies the other runtime files): not tests, documentation or caches. Erring towards "source" only costs a
 * run through tsx.
 */
function isPluginSource(rel) {
  const parts = rel.split(path.sep);
  const name = parts.at(-1);
  if (name.endsWith(".test.ts") || name.endsWith(".md") || /^(test_.*|.*_test|conftest)\.py$/.test(name)) return false;
  return !parts.some((p) => p === "__pycache__" || p === "tests" || p.startsWith("."));
}

/** The newest modification time among the files below `dir` that `keep` accepts, and that file. */
function newest(dir, keep) {
  let best = { ms: -Infinity, file: undefined };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (!keep(path.relative(dir, file))) continue;
    const ms = fs.statSync(file).mtimeMs;
    if (ms > best.ms) best = { ms, file };
  }
  return best;
}

/**
 * When dist/'s last full build began: the time of the file scripts/package-dist.mjs writes first (after emptying
 * dist/), else (a dist/ made otherwise) the oldest modification time of a file in it.
 */
function oldestOutput() {
  try {
    return fs.statSync(path.join(dist, ".build-started")).mtimeMs;
  } catch {
    /* not made by package-dist.mjs */
  }
  let oldest = Infinity;
  for (const entry of fs.readdirSync(dist, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) oldest = Math.min(oldest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  return oldest;
}

/** Why dist/ cannot be run (it is missing, or a source changed after it was built), or undefined when it can. */
function staleReason() {
  if (!fs.existsSync(compiledCli)) return "dist/ is not built";
  const built = oldestOutput();
  const changed = [
    newest(path.join(root, "plugins"), isPluginSource),
    newest(path.join(root, "scripts"), (rel) => rel.endsWith(".ts") && !rel.includes(path.sep)),
    ...["tsconfig.json", "tsconfig.build.json"].map((f) => ({ ms: fs.statSync(path.join(root, f)).mtimeMs, file: path.join(root, f) })),
  ].find((source) => source.ms > built);
  return changed && `${path.relative(root, changed.file)} changed after dist/ was built`;
}

const [command, ...args] = process.argv.slice(2);
if (!(command in SOURCES)) {
  console.error(`usage: node scripts/run-cli.mjs <${Object.keys(SOURCES).join("|")}> [options]`);
  process.exit(2);
}

const stale = process.env.VERINOTES_SOURCES === "1" ? "VERINOTES_SOURCES=1" : staleReason();
if (stale === undefined) {
  // the code digests of the cache keys then hash the sources dist/ was built from (plugins/hexo/code-digest.ts):
  // the compiled CLI and tsx share the caches, and a change that sends the next run to tsx re-verifies nothing
  process.env.VERINOTES_DIST_BUILT_FROM = root;
  // scripts/cli.ts dispatches on process.argv, as when `npx verinotes <command>` starts it
  process.argv = [process.argv[0], compiledCli, command, ...args];
  await import(pathToFileURL(compiledCli).href);
} else {
  if (process.env.VERINOTES_SOURCES !== "1") console.error(`verinotes: ${stale}: running the sources through tsx (npm run prepare builds dist/)`);
  delete process.env.VERINOTES_DIST_BUILT_FROM; // the sources' digests are their own
  const [module, ...extra] = SOURCES[command];
  const script = path.join(root, "scripts", module);
  await import("tsx"); // registers tsx's loader for what is imported from here on, as `node --import tsx` does
  // each command module runs its main() when it is the script the process was started with (scripts/run-main.ts)
  process.argv = [process.argv[0], script, ...extra, ...args];
  await import(pathToFileURL(script).href);
}
