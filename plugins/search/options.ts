// The search plugin's options, typed and defaulted in one place.

/** Pagefind's ranking parameters (https://pagefind.app/docs/ranking/), applied in the browser. */
export interface SearchRanking {
  termFrequency?: number;
  termSimilarity?: number;
  pageLength?: number;
  termSaturation?: number;
}

export interface SearchOptions {
  /** Build the index at the end of every build (default true). */
  enabled?: boolean;
  /** Folder of the Pagefind bundle inside the output folder (default `pagefind`). */
  bundleDir?: string;
  /** Route of the search page (default `search/index.html`); `false` for no page (the header box still works). */
  page?: string | false;
  /** Layout of the search page, in the Eleventy layouts folder (default `search.njk`). */
  layout?: string;
  /**
   * Index Chinese and Japanese text one character at a time (default true). Pagefind splits CJK text into words
   * with its own dictionary and a query with the browser's, and the two disagree (自注意力 vs 注意力): a note
   * containing the exact phrase could be missed. Per character, a quoted query is an exact substring match.
   */
  splitCjk?: boolean;
  /** CSS selectors never indexed, besides `data-pagefind-ignore` elements (default: copy buttons, snippet badges). */
  excludeSelectors?: string[];
  /**
   * Ranking parameters passed to Pagefind in the browser (default: Pagefind's). They order the notes that have
   * every word of the query; notes with the exact phrase always come first (layouts/assets/search.js).
   */
  ranking?: SearchRanking;
  /** Words of context around the match in result excerpts (a CJK character counts as a word). */
  excerptLength?: number;
  /**
   * Search in a Web Worker, as Pagefind does by default since 1.5 (default false). The worker script is another 42 KB
   * on the first query, and a notes site's queries are short enough for the page's own thread.
   */
  worker?: boolean;
  /**
   * Folder where finished bundles are kept by the key of their pages (default `.cache/search`), so that a build
   * whose indexed pages did not change reuses the index instead of re-indexing; false: no copies (the bundle in
   * the output folder is still reused when its pages did not change).
   */
  cacheDir?: string | false;
  /** Called after each index is written (the CLI or a benchmark can print it). Default: one line on stdout. */
  onIndexed?: (report: IndexReport) => void;
}

export interface IndexReport {
  /** Pages in the index (notes and standalone pages). */
  pages: number;
  /** Pagefind's language keys, e.g. `zh-cn`, with their page counts. */
  languages: Record<string, number>;
  /** Bytes of the bundle written (index, fragments, filters, scripts). */
  bytes: number;
  milliseconds: number;
  errors: string[];
  /** The pages did not change: the bundle in the output folder was kept, or the cached one copied; false: indexed. */
  reused: "output" | "cache" | false;
}

export interface ResolvedSearchOptions {
  enabled: boolean;
  bundleDir: string;
  page: string | false;
  layout: string;
  splitCjk: boolean;
  excludeSelectors: string[];
  ranking: SearchRanking;
  excerptLength: number;
  worker: boolean;
  cacheDir: string | false;
  onIndexed: (report: IndexReport) => void;
}

// Buttons, and what the snippets plugin adds around code blocks (name bar, badge, messages, diff, summary):
// interface, not note text.
export const defaultExcludeSelectors = ["button", ".snippet__bar", ".snippet__message", ".snippet__details", ".snippets-summary"];

export function resolveSearchOptions(options: SearchOptions = {}): ResolvedSearchOptions {
  const bundleDir = (options.bundleDir ?? "pagefind").replace(/^\/+|\/+$/g, "");
  if (!bundleDir || bundleDir.split("/").includes("..")) throw new Error(`search: bundleDir must be a folder inside the output folder, not "${options.bundleDir}"`);
  return {
    enabled: options.enabled ?? true,
    bundleDir,
    page: options.page === undefined ? "search/index.html" : options.page,
    layout: options.layout ?? "search.njk",
    splitCjk: options.splitCjk ?? true,
    excludeSelectors: options.excludeSelectors ?? defaultExcludeSelectors,
    // Pagefind's defaults: they order the notes that match every word; the phrase matches come first anyway.
    ranking: { ...options.ranking },
    excerptLength: options.excerptLength ?? 36,
    worker: options.worker ?? false,
    cacheDir: options.cacheDir ?? ".cache/search",
    onIndexed: options.onIndexed ?? printReport,
  };
}

/** What the layouts and the browser script need: where the page and the bundle are, and the query options. */
export interface BrowserSettings {
  /** Path of the search page under the site root (`search/`), '' when there is none. */
  pageUrl: string;
  /** Path of the bundle under the site root (`pagefind/`). */
  bundleUrl: string;
  /** Passed to `pagefind.options()`. */
  pagefindOptions: { ranking: SearchRanking; excerptLength: number; noWorker: boolean };
  splitCjk: boolean;
}

export function browserSettings(options: ResolvedSearchOptions): BrowserSettings {
  return {
    pageUrl: options.page === false ? "" : options.page.replace(/(^|\/)index\.html$/, "$1"),
    bundleUrl: `${options.bundleDir}/`,
    pagefindOptions: { ranking: options.ranking, excerptLength: options.excerptLength, noWorker: !options.worker },
    splitCjk: options.splitCjk,
  };
}

function printReport(report: IndexReport): void {
  const langs = Object.entries(report.languages).map(([lang, n]) => `${n} ${lang}`).join(", ") || "none";
  const how = report.reused ? `unchanged, index reused${report.reused === "cache" ? " from the cache" : ""}:` : "indexed";
  console.log(`Search: ${how} ${report.pages} pages (${langs}), ${(report.bytes / 1024).toFixed(0)} KB in ${(report.milliseconds / 1000).toFixed(2)}s`);
  for (const error of report.errors) console.error(`search: error: ${error}`);
}
