// Loaded with `node --import` by bench/memory-floor.ts (never by the product): once Eleventy's `write()` has
// finished, while Eleventy still holds what it keeps until the end of a build, collects the garbage and prints what
// the V8 heap still holds, a number that does not move with when the collector happened to run. With
// VN_HEAP_SNAPSHOT=<file>, also writes a heap snapshot there (for comparing retained sizes by constructor).
import v8 from "node:v8";
import { isMainThread } from "node:worker_threads";
import vm from "node:vm";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// Worker threads inherit `--import`: only the build's main thread is probed.
if (isMainThread) await probe();

async function probe() {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc");
  // The Eleventy the build imports: resolved from the folder it runs in (the repository or a bench project).
  const from = createRequire(pathToFileURL(process.env.VN_PROBE_FROM ?? `${process.cwd()}/`).href);
  const eleventyUrl = pathToFileURL(from.resolve("@11ty/eleventy").replace(/EleventyCommonJs\.cjs$/, "Eleventy.js")).href;
  const { default: Eleventy } = await import(eleventyUrl);
  const write = Eleventy.prototype.write;
  Eleventy.prototype.write = async function (...args) {
    const result = await write.apply(this, args);
    gc();
    gc();
    const heap = v8.getHeapStatistics();
    const ext = process.memoryUsage();
    process.stderr.write(`\nVN_HEAP_AFTER_GC ${heap.used_heap_size} ${ext.external}\n`);
    if (process.env.VN_HEAP_SNAPSHOT) v8.writeHeapSnapshot(process.env.VN_HEAP_SNAPSHOT);
    return result;
  };

  // VN_MEM_TRACE=1: every 50 ms, and at each Eleventy event, the resident memory and the heap (MB) since the start,
  // to see which step of the build the peak falls in.
  if (process.env.VN_MEM_TRACE) {
    const t0 = performance.now();
    const line = (what) => {
      const m = process.memoryUsage();
      const mb = (b) => (b / 2 ** 20).toFixed(0);
      process.stderr.write(`VN_TRACE ${((performance.now() - t0) / 1000).toFixed(2)} rss ${mb(m.rss)} heap ${mb(m.heapUsed)} total ${mb(m.heapTotal)} ext ${mb(m.external)} ${what}\n`);
    };
    setInterval(() => line(""), 50).unref();
    const { default: AsyncEventEmitter } = await import(new URL("Util/AsyncEventEmitter.js", eleventyUrl).href);
    const emit = AsyncEventEmitter.prototype.emit;
    AsyncEventEmitter.prototype.emit = function (type, ...args) {
      line(`event ${String(type)}`);
      const result = emit.call(this, type, ...args);
      Promise.resolve(result).then(() => line(`done ${String(type)}`), () => {});
      return result;
    };
  }
}
