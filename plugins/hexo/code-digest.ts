// What a cache key says about the code that made the cached value: a digest of the source files of the folders
// given (their paths relative to each folder, and their bytes; tests left out). A change to any of them, an
// upgrade included, changes the key: no version constant to remember to bump. The compiled CLI of a checkout hashes
// the sources its dist/ was built from, so that it and tsx (scripts/run-cli.mjs runs either) share one cache.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Adds every source file below `dir` (sorted; `*.test.ts` left out) to `hash`. */
export function hashFolder(hash: crypto.Hash, folder: string): void {
  const dir = codeFolderOf(folder);
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

/**
 * The folder whose files are the code that runs from `dir`: for a folder of a checkout's dist/ that the launcher
 * found built after every source (scripts/run-cli.mjs sets VERINOTES_DIST_BUILT_FROM to the checkout), the source
 * folder it was compiled from; else `dir` itself (the sources, or an installed package's compiled files).
 */
export function codeFolderOf(dir: string, builtFrom = process.env.VERINOTES_DIST_BUILT_FROM): string {
  if (!builtFrom) return dir;
  const rel = path.relative(path.join(builtFrom, "dist"), dir);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return dir;
  const source = path.join(builtFrom, rel);
  return fs.existsSync(source) ? source : dir;
}

/**
 * The version of an installed package (its package.json, found above the module it resolves to: many packages do not
 * export their package.json), or "" when it is not installed. Nothing of the package is loaded.
 */
export function packageVersion(name: string): string {
  try {
    for (let dir = path.dirname(fileURLToPath(import.meta.resolve(name))); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const file = path.join(dir, "package.json");
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? "";
    }
  } catch {
    /* not installed */
  }
  return "";
}
