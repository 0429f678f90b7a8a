// Builds the Pagefind bundle of a built site with Pagefind's Node API: the pages that mark their content with
// `data-pagefind-body` (notes and standalone pages; listings, 404 and drafts do not), prepared for the index
// (prepare-page.ts), written next to the pages. The previous bundle is replaced only once the new one is complete.
import fs from "node:fs";
import path from "node:path";
import * as pagefind from "pagefind";
import { escapePath, globSync } from "tinyglobby";
import { preparePageForIndex } from "./prepare-page.ts";
import { KEY_FILE, bundleKey, createIndexKey, restoreBundle, storeBundle } from "./index-cache.ts";
import type { IndexReport, ResolvedSearchOptions } from "./options.ts";

/** Pages read, or handed to Pagefind, at once. */
const BATCH = 64;

/** HTML files below `siteDir` (relative, `/`-separated), outside the bundle folder and its staging copies. */
export function htmlFiles(siteDir: string, bundleDir: string): string[] {
  const bundle = escapePath(bundleDir);
  return globSync("**/*.html", { cwd: siteDir, dot: true, followSymbolicLinks: false, expandDirectories: false, ignore: [`${bundle}/**`, `${bundle}.*/**`] });
}

/** Whether a page asks to be indexed. Pagefind indexes every page when no page has the attribute; we never do. */
export function isSearchable(html: string): boolean {
  return /<[^>]+\sdata-pagefind-body[\s>=]/.test(html);
}

/** The URL of an output file under the site root, percent-encoded as the site links it: `a/b/index.html` → `/a/b/`. */
export function pageUrl(rel: string): string {
  return "/" + rel.replace(/(^|\/)index\.html$/, "$1").split("/").map(encodeURIComponent).join("/");
}

export async function indexSite(outputDir: string, options: ResolvedSearchOptions): Promise<IndexReport> {
  const started = performance.now();
  const siteDir = path.resolve(outputDir);
  const errors: string[] = [];
  const bundle = path.join(siteDir, options.bundleDir);
  const staging = `${bundle}.tmp-${process.pid}`;
  // What gets indexed, and its key: unchanged pages under unchanged options give the same bundle. The pages are
  // read a batch at a time and not kept: the key is made first, and only a new key reads them again for Pagefind
  // (holding every page would cost 28 KB a generated note as JavaScript strings, 110 MB for 4,000).
  const key = createIndexKey({ excludeSelectors: options.excludeSelectors, splitCjk: options.splitCjk });
  const searchable: string[] = [];
  await inBatches(htmlFiles(siteDir, options.bundleDir), siteDir, (rel, html) => {
    if (!isSearchable(html)) return;
    searchable.push(rel);
    key.add(pageUrl(rel), html);
  });
  const digest = key.digest();
  const report = (reused: IndexReport["reused"]): IndexReport => ({
    pages: searchable.length,
    languages: bundleLanguages(bundle),
    bytes: folderBytes(bundle),
    milliseconds: performance.now() - started,
    errors,
    reused,
  });
  if (bundleKey(bundle) === digest) return report("output");
  if (options.cacheDir && restoreBundle(options.cacheDir, digest, bundle)) return report("cache");

  let pages = 0;
  try {
    const created = await pagefind.createIndex({ excludeSelectors: options.excludeSelectors });
    errors.push(...created.errors);
    const index = created.index;
    if (!index) throw new Error(created.errors.join("; ") || "Pagefind did not create an index");
    await inBatches(searchable, siteDir, async (rel, html) => {
      // A page that changed since (`npm start` writing the next build) is indexed only if it still asks to be.
      if (!isSearchable(html)) return;
      const added = await index.addHTMLFile({ url: pageUrl(rel), content: preparePageForIndex(html, options) });
      errors.push(...added.errors);
      if (!added.errors.length) pages++;
    });
    fs.rmSync(staging, { recursive: true, force: true });
    const written = await index.writeFiles({ outputPath: staging });
    errors.push(...written.errors);
    await index.deleteIndex();
    removeUnusedUi(staging);
    if (!written.errors.length) {
      // Only a bundle without errors is marked as this key's: one with a failed page is redone next build.
      const complete = !errors.length;
      if (complete) fs.writeFileSync(path.join(staging, KEY_FILE), `${digest}\n`);
      fs.rmSync(bundle, { recursive: true, force: true });
      fs.renameSync(staging, bundle);
      if (complete && options.cacheDir) storeBundle(options.cacheDir, digest, bundle);
    }
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    // The service is a child process: left running, it would keep `npm run build` from exiting.
    await pagefind.close();
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { ...report(false), pages };
}

/**
 * Reads the pages `BATCH` at a time and hands each to `each` in order (the key depends on it), waiting for a batch's
 * answers (Pagefind's) before reading the next; a page removed since the folder was listed (a page of a deleted
 * note) is left out. Read one by one on this thread: through the thread pool each small file cost several times more.
 */
async function inBatches(rels: string[], siteDir: string, each: (rel: string, html: string) => unknown): Promise<void> {
  for (let i = 0; i < rels.length; i += BATCH) {
    const batch = rels.slice(i, i + BATCH);
    const htmls = batch.map((rel) => readPage(path.join(siteDir, rel)));
    await Promise.all(batch.map((rel, k) => (htmls[k] === undefined ? undefined : each(rel, htmls[k]))));
  }
}

/** A page's HTML; undefined when it was removed since the folder was listed (a page of a deleted note). */
function readPage(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Pagefind's own UIs (about 400 KB) are never loaded: `assets/search.js` is the site's UI. */
function removeUnusedUi(bundle: string): void {
  if (!fs.existsSync(bundle)) return;
  for (const name of fs.readdirSync(bundle)) {
    if (/^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$/.test(name)) fs.rmSync(path.join(bundle, name));
  }
}

/** Pagefind's language keys (`zh-cn`, `en`) and their page counts, from the bundle's entry file. */
export function bundleLanguages(bundle: string): Record<string, number> {
  const entryFile = path.join(bundle, "pagefind-entry.json");
  if (!fs.existsSync(entryFile)) return {};
  const entry = JSON.parse(fs.readFileSync(entryFile, "utf8")) as { languages: Record<string, { page_count: number }> };
  return Object.fromEntries(Object.entries(entry.languages).map(([lang, info]) => [lang, info.page_count]));
}

function folderBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}
