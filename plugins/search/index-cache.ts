// The search index is a function of the indexed pages and the options: when neither changed since the last
// build, the bundle already in the output folder (or the copy kept in the cache folder, for a fresh output
// folder in CI) is the index this build would write. Re-indexing 4,000 unchanged notes would take seconds.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { packageVersion } from "../hexo/code-digest.ts";

/** Bump when preparePageForIndex or the bundle's post-processing changes what is written. */
const INDEX_FORMAT = "verinotes-search/1";

/** Written into the bundle: the key of the pages it indexes. */
export const KEY_FILE = "verinotes-index-key.txt";

/** Bundles kept in the cache folder: the current one and the one before it (a branch switch back and forth). */
const KEEP = 2;


/** Hashes the pages to index, one at a time, in a stable order, with everything else that shapes the bundle. */
export function createIndexKey(settings: unknown): { add(url: string, html: string): void; digest(): string } {
  const hash = createHash("sha256").update(`${INDEX_FORMAT}\0${packageVersion("pagefind") || "unknown"}\0${JSON.stringify(settings)}\0`);
  return {
    add(url, html) {
      hash.update(url).update("\0").update(html).update("\0");
    },
    digest: () => hash.digest("hex").slice(0, 32),
  };
}

/** The key recorded in a bundle, or undefined. */
export function bundleKey(bundle: string): string | undefined {
  try {
    return fs.readFileSync(path.join(bundle, KEY_FILE), "utf8").trim();
  } catch {
    return undefined;
  }
}

/**
 * Replaces folder `to` with a copy of `from`, through a staging folder so `to` is never half-copied; false on failure.
 * The files (a thousand for a thousand notes) are hard links where the file system allows it: creating a file costs
 * several times what linking one does, and a bundle's files are never written again, only replaced as a whole (a new
 * index is written beside the old one and renamed over it), so the two folders can share them. Copied otherwise.
 */
function copyReplacing(from: string, to: string): boolean {
  const staging = `${to}.tmp-${process.pid}`;
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    const entries = fs.readdirSync(from, { withFileTypes: true, recursive: true });
    const rel = (e: fs.Dirent) => path.relative(from, path.join(e.parentPath, e.name));
    fs.mkdirSync(staging, { recursive: true });
    for (const dir of entries.filter((e) => e.isDirectory()).map(rel).sort()) fs.mkdirSync(path.join(staging, dir), { recursive: true });
    let link = true;
    for (const file of entries.filter((e) => e.isFile()).map(rel)) {
      const [source, target] = [path.join(from, file), path.join(staging, file)];
      if (link) {
        try {
          fs.linkSync(source, target);
          continue;
        } catch {
          link = false; // another file system, or no links there
        }
      }
      fs.copyFileSync(source, target);
    }
    fs.rmSync(to, { recursive: true, force: true });
    fs.renameSync(staging, to);
    return true;
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
    return false;
  }
}

/** Copies the cached bundle for `key` into `bundle`, replacing it; false when not cached. */
export function restoreBundle(cacheDir: string, key: string, bundle: string): boolean {
  const cached = path.join(cacheDir, key);
  return bundleKey(cached) === key && copyReplacing(cached, bundle);
}

/** Keeps a copy of a finished bundle under its key, and drops the older ones beyond KEEP. A failure only costs speed. */
export function storeBundle(cacheDir: string, key: string, bundle: string): void {
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    if (!copyReplacing(bundle, path.join(cacheDir, key))) return;
    const entries = fs
      .readdirSync(cacheDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && /^[0-9a-f]{32}$/.test(e.name) && e.name !== key)
      .map((e) => ({ dir: path.join(cacheDir, e.name), time: fs.statSync(path.join(cacheDir, e.name)).mtimeMs }))
      .sort((a, b) => b.time - a.time);
    for (const old of entries.slice(KEEP - 1)) fs.rmSync(old.dir, { recursive: true, force: true });
  } catch {
    /* only slower next time */
  }
}
