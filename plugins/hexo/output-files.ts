// The files a build writes besides Eleventy's pages: static files and post assets (copied), files made by extensions
// (snippet downloads, thousands of small files), and the link sources for `npm run check`. Written with the event
// loop's thread pool while Eleventy renders the pages: written one by one on the build's thread they took longer
// than rendering the pages of a 1,000-note site from the cache (issue 16).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface OutputFiles {
  /** Copied as they are. */
  copies: { from: string; to: string }[];
  /** Made by the build, relative to the output folder. */
  files: { to: string; content: string | Uint8Array }[];
}

export interface WriteOptions {
  /**
   * Whether an earlier build may have left this file (relative path) in the folder: it is then read first and not
   * rewritten when it holds the same bytes. A file no earlier build wrote is written without looking.
   */
  mayExist: (rel: string) => boolean;
  /** Under `npm start`: the digest of each file this process wrote; an unchanged file is not even read back. */
  written?: Map<string, string>;
}

/** Operations at once: enough to keep the thread pool (4 threads) busy, few enough to leave it to others too. */
const AT_ONCE = 8;

export async function writeOutputFiles(outputDir: string, output: OutputFiles, options: WriteOptions): Promise<void> {
  const root = path.resolve(outputDir);
  // A generated file's name comes from a note (a snippet's title): it never leaves the output folder.
  const inside = (rel: string) => path.resolve(root, rel).startsWith(root + path.sep);
  const files = output.files.filter((f) => inside(f.to));
  const folders = new Set([...output.copies.map((c) => c.to), ...files.map((f) => f.to)].map((rel) => path.dirname(path.join(root, rel))));
  await fs.promises.mkdir(root, { recursive: true });
  // Parents first: each folder is then made with one call and no retries.
  await eachAtOnce([...folders].sort(), (dir) => fs.promises.mkdir(dir, { recursive: true }));
  const digests = new Map<string, string>();
  await Promise.all([
    eachAtOnce(output.copies, ({ from, to }) => fs.promises.copyFile(from, path.join(root, to))),
    eachAtOnce(files, async ({ to, content }) => {
      const target = path.join(root, to);
      let digest: string | undefined;
      if (options.written) {
        digest = createHash("sha1").update(content).digest("hex");
        digests.set(target, digest);
        if (options.written.get(target) === digest) return;
      }
      const bytes = typeof content === "string" ? Buffer.from(content) : content;
      if (!(options.mayExist(to) && (await holds(target, bytes)))) await fs.promises.writeFile(target, bytes);
    }),
  ]);
  if (options.written) {
    options.written.clear(); // files of notes that are gone go too
    for (const [target, digest] of digests) options.written.set(target, digest);
  }
}

/** Whether the file holds exactly these bytes (false when it is not there). */
async function holds(file: string, bytes: Uint8Array): Promise<boolean> {
  try {
    const stat = await fs.promises.stat(file);
    return stat.size === bytes.length && (await fs.promises.readFile(file)).equals(bytes);
  } catch {
    return false;
  }
}

/** Runs `task` on every item, `AT_ONCE` at a time; rejects with the first failure once the others are done. */
async function eachAtOnce<T>(items: T[], task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await task(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
