// The files a build writes besides Eleventy's pages: static files and post assets (copied), files made by extensions
// (snippet downloads, thousands of small files), and the link sources for `npm run check`. Written one by one on the
// build's thread, as Eleventy writes its pages: through the thread pool, several at a time, the same 7,000 files
// took 2.5 to 4 times the time and the CPU on this machine (issue 16). A file no earlier build wrote is written
// without looking first (a fresh output folder is what CI has).
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

export function writeOutputFiles(outputDir: string, output: OutputFiles, options: WriteOptions): void {
  const root = path.resolve(outputDir);
  // A generated file's name comes from a note (a snippet's title): it never leaves the output folder.
  const inside = (rel: string) => path.resolve(root, rel).startsWith(root + path.sep);
  const made = new Set<string>();
  const folderFor = (target: string) => {
    const dir = path.dirname(target);
    if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
  };
  for (const { from, to } of output.copies) {
    const target = path.join(root, to);
    folderFor(target);
    fs.copyFileSync(from, target);
  }
  const digests = new Map<string, string>();
  for (const { to, content } of output.files) {
    if (!inside(to)) continue;
    const target = path.join(root, to);
    if (options.written) {
      const digest = createHash("sha1").update(content).digest("hex");
      digests.set(target, digest);
      if (options.written.get(target) === digest) continue;
    }
    const bytes = typeof content === "string" ? Buffer.from(content) : content;
    if (options.mayExist(to) && holds(target, bytes)) continue;
    folderFor(target);
    fs.writeFileSync(target, bytes);
  }
  if (options.written) {
    options.written.clear(); // files of notes that are gone go too
    for (const [target, digest] of digests) options.written.set(target, digest);
  }
}

/** Whether the file holds exactly these bytes (false when it is not there). */
function holds(file: string, bytes: Uint8Array): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat !== undefined && stat.size === bytes.length && fs.readFileSync(file).equals(bytes);
}
