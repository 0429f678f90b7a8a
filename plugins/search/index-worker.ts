// Indexes a built site on a worker thread (index-site.ts), so that what indexing allocates (every page read,
// prepared and sent to Pagefind) lands in a small heap of its own, collected as it goes, instead of on top of a
// build's heap: the build's heap then holds every page Eleventy rendered, and the garbage of indexing 4,000 notes
// grew it (and the build's peak resident memory) by some 100 MB before the collector ran (issue 16).
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { indexSite } from "./index-site.ts";
import type { IndexReport, ResolvedSearchOptions } from "./options.ts";

/** What the worker is given: everything of the options but the callback, which stays on the calling thread. */
type WorkerOptions = Omit<ResolvedSearchOptions, "onIndexed">;

/** The worker's young generation (MB): see indexSiteOnWorker. */
const YOUNG_GENERATION_MB = 64;

type Answer = { report: IndexReport } | { error: string };

/** indexSite(outputDir, options), run on a worker thread. */
export function indexSiteOnWorker(outputDir: string, options: ResolvedSearchOptions): Promise<IndexReport> {
  const { onIndexed: _callback, ...plain } = options;
  const workerData = { verinotesSearchIndex: { outputDir, options: plain satisfies WorkerOptions } };
  // What indexing allocates dies young. A 6 MB young generation saved ~48 MB of resident memory whatever the site's
  // size, but its collections cost ~1 s of CPU of a 1,000-note build that indexes everything (1,000 -> 4,000 notes
  // grew the peak 56 and 59 MB per 1,000 with 6 and 64 MB: the same within noise), and the goal is the growth.
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
  // Run from the TypeScript sources (tests, `VERINOTES_SOURCES=1`), the thread loads this module through tsx's
  // API: Node 20 applies no loader (`--import tsx`, tsx registered in-process) to a worker thread's modules.
  const worker = import.meta.url.endsWith(".ts")
    ? new Worker(`import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => tsx.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`, {
        eval: true,
        workerData,
        resourceLimits,
      })
    : new Worker(new URL(import.meta.url), { workerData, resourceLimits });
  return new Promise<IndexReport>((resolve, reject) => {
    let answered = false;
    worker.once("message", (answer: Answer) => {
      answered = true;
      if ("report" in answer) resolve(answer.report);
      else reject(new Error(answer.error));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`the search indexing thread stopped (exit code ${code}) before it answered`));
    });
  });
}

const job = isMainThread ? undefined : (workerData as { verinotesSearchIndex?: { outputDir: string; options: WorkerOptions } } | null)?.verinotesSearchIndex;
if (job) {
  const { outputDir, options } = job;
  indexSite(outputDir, { ...options, onIndexed: () => {} }).then(
    (report) => parentPort!.postMessage({ report } satisfies Answer),
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies Answer),
  );
}
