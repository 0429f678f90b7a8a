// What a build left in its output folder, written there as `verinotes-build.json`: the digest of each page's values,
// the digest of everything else a page depends on (layouts, global data, this plugin), and every file the build
// wrote. The next build into the same folder renders only the pages whose digest changed (their files are still
// there), and removes the files it wrote before that no longer belong to the site (a deleted or renamed note).
// Pure: values in, values out; index.ts reads and writes the file.
import type { PageDigests } from "./incremental.ts";

export const RECORD_FILE = "verinotes-build.json";
const RECORD_VERSION = 1;

export interface OutputRecord {
  version: number;
  /** Digest of the layouts, global data and plugin code: when it differs, every page is rendered. */
  context: string;
  /** Route (output path) → digest of the page's values. */
  pages: Record<string, string>;
  /** Every file the build wrote below the output folder (pages, feeds, snippet files, copies). */
  files: string[];
}

export function makeRecord(context: string, pages: PageDigests, files: Iterable<string>): OutputRecord {
  return { version: RECORD_VERSION, context, pages: Object.fromEntries(pages), files: [...new Set(files)].sort() };
}

export function parseRecord(text: string | undefined): OutputRecord | undefined {
  if (!text) return undefined;
  try {
    const r = JSON.parse(text) as OutputRecord;
    return r && r.version === RECORD_VERSION && typeof r.context === "string" && r.pages && Array.isArray(r.files) ? r : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The digests of the pages a previous build left that can stand in for rendering them again: same context, and the
 * file still there. Undefined when nothing can be reused.
 */
export function reusablePages(record: OutputRecord | undefined, context: string, exists: (route: string) => boolean): PageDigests | undefined {
  if (!record || record.context !== context) return undefined;
  const pages: PageDigests = new Map();
  for (const [route, digest] of Object.entries(record.pages)) if (exists(route)) pages.set(route, digest);
  return pages;
}

/** Files the previous build wrote that this one did not: they belong to pages or notes that are gone. */
export function staleFiles(record: OutputRecord | undefined, current: OutputRecord): string[] {
  if (!record) return [];
  const now = new Set(current.files);
  return record.files.filter((f) => !now.has(f) && !f.split("/").includes(".."));
}
