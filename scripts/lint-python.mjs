// `npm run lint:python`: ruff (its WebAssembly build, a devDependency: no Python package to install) over the
// snippet runners' Python and its tests. Prints `file:line:col: CODE message` per finding; exits 1 on any.
// Plain JavaScript, so that it runs without tsx. Files given as arguments are linted instead of the default set.
import fs from "node:fs";
import path from "node:path";
import { PositionEncoding, Workspace } from "@astral-sh/ruff-wasm-nodejs";
import { glob } from "tinyglobby";

const root = path.resolve(import.meta.dirname, "..");
const PATTERNS = ["plugins/**/*.py", "tests/worker/**/*.py", "bench/**/*.py"];

/** pycodestyle errors and warnings and pyflakes, at the repository's line length. */
const SETTINGS = {
  "line-length": 140,
  // The worker runs under the system's python3; sys.stdlib_module_names (3.10) is the newest thing it uses.
  "target-version": "py310",
  lint: { select: ["E", "F", "W"] },
};

const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => path.relative(root, path.resolve(f)))
  : (await glob(PATTERNS, { cwd: root, ignore: ["**/node_modules/**", "**/__pycache__/**", "bench/.work/**"] })).sort();

const workspace = new Workspace(SETTINGS, PositionEncoding.Utf16);
let findings = 0;
for (const file of files) {
  const diagnostics = workspace.check(fs.readFileSync(path.join(root, file), "utf8"));
  diagnostics.sort((a, b) => a.start_location.row - b.start_location.row || a.start_location.column - b.start_location.column);
  for (const d of diagnostics) {
    findings++;
    console.log(`${file}:${d.start_location.row}:${d.start_location.column}: ${d.code ?? "syntax-error"} ${d.message}`);
  }
}
console.error(`lint-python: ruff ${Workspace.version()}, ${files.length} files, ${findings} finding${findings === 1 ? "" : "s"}`);
process.exit(findings ? 1 : 0);
