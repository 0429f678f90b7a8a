// Eleventy adapter of the search plugin: registers the search page and the `search` global data the layouts
// print, and indexes the built site with Pagefind after every build (also under `npm start`).
import type UserConfig from "@11ty/eleventy/UserConfig";
import { browserSettings, resolveSearchOptions, type SearchOptions } from "./options.ts";
import { indexSiteOnWorker } from "./index-worker.ts";
import { searchPageTemplate } from "./page.ts";

export type { SearchOptions, SearchRanking, IndexReport } from "./options.ts";

/** Event emitted with the IndexReport after each index is written (the CLI can count its errors). */
export const SEARCH_EVENT = "verinotes.search";

interface AfterBuild {
  directories?: { output: string };
  runMode?: "build" | "watch" | "serve";
  /** `fs` when pages were written; `json`/`ndjson` runs write nothing to index. */
  outputMode?: string;
}

export default function verinotesSearch(eleventyConfig: UserConfig, userOptions: SearchOptions = {}): void {
  const options = resolveSearchOptions(userOptions);
  if (!options.enabled) return;
  // Frozen: Eleventy wraps each plain object a page reads from its data in a new Proxy (plugins/hexo/freeze.ts).
  const settings = browserSettings(options);
  Object.freeze(settings.pagefindOptions.ranking);
  Object.freeze(settings.pagefindOptions);
  eleventyConfig.addGlobalData("search", Object.freeze(settings));
  if (options.page !== false) {
    const page = searchPageTemplate(options.page, options.layout);
    eleventyConfig.addTemplate(page.path, page.content, page.data);
  }
  // Under `npm start` the bundle in the output folder is the one to reuse; copying each new one into the cache
  // folder (for CI's fresh checkouts) would only cost a copy per saved note.
  const watchOptions = { ...options, cacheDir: false as const };
  const reindex = oneAtATime(async ({ outputDir, watching }: { outputDir: string; watching: boolean }) => {
    const report = await indexSiteOnWorker(outputDir, watching ? watchOptions : options);
    options.onIndexed(report);
    await eleventyConfig.emit(SEARCH_EVENT, report);
  });
  eleventyConfig.on("eleventy.after", ({ directories, outputMode, runMode }: AfterBuild) => {
    if (outputMode && outputMode !== "fs") return;
    const watching = runMode === "serve" || runMode === "watch";
    const done = reindex({ outputDir: directories?.output ?? (eleventyConfig.directories as { output: string }).output, watching });
    if (!watching) return done;
    // Under `npm start` the page reloads at once and the index follows (4,000 notes take seconds to index).
    done.catch((error) => console.error(`search: error: ${error instanceof Error ? error.message : error}`));
  });
}

/**
 * Runs `task` for the latest request only: a request made while a run is under way waits for it, and
 * requests made meanwhile collapse into one run (the site on disk is what gets indexed, whichever build wrote it).
 */
export function oneAtATime<T>(task: (arg: T) => Promise<void>): (arg: T) => Promise<void> {
  let running: Promise<void> | undefined;
  let next: { arg: T; done: Promise<void> } | undefined;
  const start = (arg: T): Promise<void> => {
    running = task(arg).finally(() => {
      running = undefined;
    });
    return running;
  };
  return (arg) => {
    if (!running) return start(arg);
    if (next) {
      next.arg = arg;
      return next.done;
    }
    const queued = { arg, done: Promise.resolve() };
    queued.done = running.catch(() => {}).then(() => {
      next = undefined;
      return start(queued.arg);
    });
    next = queued;
    return queued.done;
  };
}
