// The files a build writes besides Eleventy's pages: static files and post assets (copied), files made by extensions
// (snippet downloads, thousands of small files), and the link sources for `npm run check`. Written one by one on the
// build's thread, as Eleventy writes its pages: through the thread pool, several at a time, the same 7,000 files
// took 2.5 to 4 times the time and the CPU on this machine (issue 16). A file no earlier build wrote is written
// without looking first (a fresh output folder is what CI has).
//
// With a store (a folder the caches keep, `.cache/render/files`), each generated file is written there once, named
// by its digest, and hard-linked into the output: creating a file cost 5 to 7 times what linking one did here, and a
// build into a fresh folder with the caches kept (CI) then creates none of them. An extension may keep its files
// itself (the snippets plugin's 7,000 files of 1,000 notes, in `.cache/snippets/files`, made once): such a file
// (`linkFrom`) is linked from there, and its bytes are read only when it cannot be linked.
// A linked file is never written in place (that would change the store): a file that differs is removed first.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { GeneratedFile } from "./extensions.ts";

export interface OutputFiles {
  /** Copied as they are. */
  copies: { from: string; to: string }[];
  /** Made by the build, relative to the output folder; a file with `linkFrom` is linked from there. */
  files: GeneratedFile[];
}

export interface WriteOptions {
  /**
   * Whether an earlier build may have left this file (relative path) in the folder: it is then read first and not
   * rewritten when it holds the same bytes. A file no earlier build wrote is written without looking.
   */
  mayExist: (rel: string) => boolean;
  /** Under `npm start`: the digest of each file this process wrote; an unchanged file is not even read back. */
  written?: Map<string, string>;
  /** The folder of files by digest the generated files are linked from; none: each file is written. */
  store?: string;
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
  const store = options.store ? linkStore(options.store) : undefined;
  let linksWork = true;
  for (const file of output.files) {
    const { to } = file;
    if (!inside(to)) continue;
    const target = path.join(root, to);
    if (options.written && file.digest) {
      digests.set(target, file.digest);
      if (options.written.get(target) === file.digest) continue;
    }
    const mayExist = options.mayExist(to);
    // A kept file (an extension's store): linked, its bytes never read, unless links do not work here or it is gone.
    if (file.linkFrom && linksWork) {
      if (mayExist && sameFile(target, file.linkFrom)) continue;
      folderFor(target);
      const linked = linkKept(file.linkFrom, target, mayExist);
      if (linked === true) continue;
      if (linked === "no links") linksWork = false;
    }
    const content = file.content; // may be read from disk now (a getter)
    const digest = file.digest ?? (options.written || store ? createHash("sha1").update(content).digest("hex") : "");
    if (options.written) digests.set(target, digest);
    if (options.written?.get(target) === digest) continue;
    const bytes = typeof content === "string" ? Buffer.from(content) : content;
    if (mayExist && (store?.holds(target, digest) || holds(target, bytes))) continue;
    folderFor(target);
    if (!store?.link(digest, bytes, target, mayExist)) fs.writeFileSync(target, bytes);
  }
  if (!options.written) store?.forgetOthers(); // under `npm start` the unchanged files were not even looked at
  if (options.written) {
    options.written.clear(); // files of notes that are gone go too
    for (const [target, digest] of digests) options.written.set(target, digest);
  }
}

/** The store of files by digest: links into the output; at the end, the files this build did not link go. */
function linkStore(dir: string) {
  const linked = new Set<string>();
  let works = true;
  const fileOf = (digest: string) => path.join(dir, digest);
  return {
    /** Whether `target` is the store's file for `digest` already (an earlier build into this folder linked it). */
    holds(target: string, digest: string): boolean {
      const [a, b] = [fs.statSync(target, { throwIfNoEntry: false }), fs.statSync(fileOf(digest), { throwIfNoEntry: false })];
      if (!a || !b || a.ino !== b.ino || a.dev !== b.dev) return false;
      linked.add(digest);
      return true;
    },
    /** Links the file for `digest` (written to the store first if new) to `target`; false when links do not work here. */
    link(digest: string, bytes: Uint8Array, target: string, mayExist: boolean): boolean {
      if (!works) return false;
      const file = fileOf(digest);
      try {
        if (mayExist) fs.rmSync(target, { force: true }); // never through a link into the store
        try {
          fs.linkSync(file, target);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
          fs.mkdirSync(dir, { recursive: true });
          try {
            fs.writeFileSync(file, bytes, { flag: "wx" });
          } catch (exists) {
            if ((exists as NodeJS.ErrnoException).code !== "EEXIST") throw exists; // another build just wrote it
          }
          fs.linkSync(file, target);
        }
        linked.add(digest);
        return true;
      } catch {
        works = false; // another file system, no links there, or a store being written by another build
        return false;
      }
    },
    /** Removes the store's files no file of this build is linked to (notes edited or gone). */
    forgetOthers(): void {
      if (!works) return;
      for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) if (!linked.has(name)) fs.rmSync(path.join(dir, name), { force: true });
    },
  };
}

/** Whether two paths are one file (a link made by an earlier build); false when either is not there. */
function sameFile(a: string, b: string): boolean {
  const [x, y] = [fs.statSync(a, { throwIfNoEntry: false }), fs.statSync(b, { throwIfNoEntry: false })];
  return x !== undefined && y !== undefined && x.ino === y.ino && x.dev === y.dev;
}

/**
 * Hard-links a kept file to `target`, removing what is there first (never writing through a link). "gone": the kept
 * file is not there (a build sharing the cache folder removed it); "no links": this file system makes none here.
 */
function linkKept(from: string, target: string, replace: boolean): true | "gone" | "no links" {
  try {
    if (replace) fs.rmSync(target, { force: true });
    try {
      fs.linkSync(from, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      fs.rmSync(target, { force: true }); // a file no earlier build recorded
      fs.linkSync(from, target);
    }
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" && !fs.existsSync(from) ? "gone" : "no links";
  }
}

/** Whether the file holds exactly these bytes (false when it is not there). */
function holds(file: string, bytes: Uint8Array): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat !== undefined && stat.size === bytes.length && fs.readFileSync(file).equals(bytes);
}
