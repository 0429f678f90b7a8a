// What a cache key says about the code that made the cached value: a digest of the source files of the folders
// given (their paths relative to each folder, and their bytes; tests left out). A change to any of them, an
// upgrade included, changes the key: no version constant to remember to bump.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Adds every source file below `dir` (sorted; `*.test.ts` left out) to `hash`. */
export function hashFolder(hash: crypto.Hash, dir: string): void {
  if (!fs.existsSync(dir)) return;
  const files = fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.endsWith(".test.ts") && !e.parentPath.includes("__pycache__"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files) hash.update(path.relative(dir, file)).update("\0").update(fs.readFileSync(file)).update("\0");
}

/** The digest of the source files below these folders (32 hex digits). */
export function codeDigest(dirs: string[]): string {
  const hash = crypto.createHash("sha256");
  for (const dir of dirs) hashFolder(hash.update(`${path.basename(dir)}\0`), dir);
  return hash.digest("hex").slice(0, 32);
}

/** The folder that holds every plugin (the render cache depends on all of them: tags, Markdown, extensions). */
export const PLUGINS_DIR = path.resolve(import.meta.dirname, "..");
