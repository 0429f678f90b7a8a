// Where the files of a note's `snippets/` folder (one per block, index.json, a zip) are made and kept until the notes
// plugin writes them at the end of the build (hexo/output-files.ts). Made again at every build and held in memory
// until its end, they cost a 1,000-note build 0.5 s of CPU and 3.5 MB of its peak memory (issue 16). Now:
// - with a cache folder, each file is kept in a store of files by digest (`<cacheDir>/files/<sha1>`), and the list of
//   a note's files (`<cacheDir>/files.json`) under a digest of what they are made from (the note's snippets, their
//   results, this code): a build with the cache kept makes none of them again, and the writer links them from the
//   store. A one-shot build removes the store's files that no note of it has (notes edited or gone);
// - without one, each note's files go to a temporary file as soon as the note is done (as the notes' HTML does,
//   hexo/body-store.ts), read back once when written;
// - under `npm start` without a cache, in memory (the snippets plugin keeps each note's files between builds anyway).
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { codeDigest, packageVersion } from "../hexo/code-digest.ts";
import type { GeneratedFile } from "../hexo/extensions.ts";
import { writeAtomically } from "../hexo/json-cache.ts";
import { snippetFiles } from "./render.ts";
import type { Snippet, SnippetResult } from "./types.ts";

/** What a note's files are made from, and where they go. */
export interface NoteFilesInput {
  /** The note's `snippets/` folder, relative to the output folder. */
  folder: string;
  snippets: Snippet[];
  results: SnippetResult[];
  /** The download name of each block (render.ts `snippetFileNames`). */
  names: Map<number, string>;
  /** A digest of `snippets` and `results` (and of the code that makes the files): the files' key in the store. */
  key: string;
}

export interface NoteFilesMaker {
  /** A note's files, and whether they include `snippets.zip` (the note's summary line links to it). */
  filesOf(note: NoteFilesInput): { files: GeneratedFile[]; zip: boolean };
  /**
   * After the build's last note. `forget` (a one-shot build): the list keeps only this build's notes and the store
   * drops the files no note of it has; else (`npm start`) the list only grows and nothing is removed.
   */
  done(forget: boolean): void;
}

/**
 * The code a note's files are made by, for their key: this folder's sources (render.ts, names.ts, zip.ts, extract.ts)
 * and the zip library's version (its deflate makes the zip's bytes).
 */
export function noteFilesCode(): string {
  return `${codeDigest([import.meta.dirname])} fflate ${packageVersion("fflate")}`;
}

/** A note's files: `[name in its folder, sha1 of the bytes]`, as the list in the cache folder keeps them. */
type FileList = [string, string][];

const sha1 = (bytes: Uint8Array) => createHash("sha1").update(bytes).digest("hex");
const bytesOf = (content: string | Uint8Array) => (typeof content === "string" ? Buffer.from(content) : content);
const ZIP = "snippets.zip";
const DIGEST = /^[0-9a-f]{40}$/;

/** A file of the store, linked into the output folder; its bytes are read only if it cannot be linked. */
class StoredFile implements GeneratedFile {
  constructor(
    readonly to: string,
    readonly digest: string,
    readonly linkFrom: string,
  ) {}
  get content(): Uint8Array {
    try {
      return fs.readFileSync(this.linkFrom);
    } catch (error) {
      throw new Error(`${this.linkFrom}, a snippet file of ${this.to}, was removed during the build (by another build that shares the cache folder?): build again`, { cause: error });
    }
  }
}

/** The files kept in `<cacheDir>/files` and listed by note in `<cacheDir>/files.json`. */
export function storedNoteFiles(cacheDir: string): NoteFilesMaker {
  const storeDir = path.join(cacheDir, "files");
  const listFile = path.join(cacheDir, "files.json");
  // read when a note first asks (under `npm start` most rebuilds make no note's files)
  let listed: Map<string, FileList> | undefined;
  let present: Set<string> | undefined;
  const used = new Map<string, FileList>();
  let added = false;
  let storeWorks = true;
  const load = () => {
    listed ??= readList(listFile);
    return (present ??= new Set(fs.existsSync(storeDir) ? fs.readdirSync(storeDir) : []));
  };
  return {
    filesOf({ folder, snippets, results, names, key }) {
      const present = load();
      let list = used.get(key) ?? listed!.get(key);
      if (!list || !list.every(([, digest]) => present.has(digest))) {
        list = [];
        for (const file of snippetFiles(snippets, results, names)) {
          const bytes = bytesOf(file.content);
          const digest = sha1(bytes);
          if (!present.has(digest)) storeWorks &&= keep(storeDir, digest, bytes);
          if (!storeWorks) return { files: snippetFiles(snippets, results, names).map((f) => ({ to: `${folder}/${f.path}`, content: f.content })), zip: names.size > 1 };
          present.add(digest);
          list.push([file.path, digest]);
        }
        added = true;
      }
      used.set(key, list);
      return { files: list.map(([name, digest]) => new StoredFile(`${folder}/${name}`, digest, path.join(storeDir, digest))), zip: list.some(([name]) => name === ZIP) };
    },
    done(forget) {
      if (!storeWorks) return;
      if (forget) {
        const present = load();
        if (added || [...listed!.keys()].some((key) => !used.has(key))) writeList(listFile, used);
        const kept = new Set([...used.values()].flatMap((list) => list.map(([, digest]) => digest)));
        for (const name of present) if (DIGEST.test(name) && !kept.has(name)) fs.rmSync(path.join(storeDir, name), { force: true });
      } else if (added) {
        writeList(listFile, new Map([...listed!, ...used]));
      }
    },
  };
}

/** Writes a file into the store (another build may have just written the same one); false when the store cannot be written. */
function keep(storeDir: string, digest: string, bytes: Uint8Array): boolean {
  const file = path.join(storeDir, digest);
  try {
    try {
      fs.writeFileSync(file, bytes, { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      fs.mkdirSync(storeDir, { recursive: true });
      fs.writeFileSync(file, bytes, { flag: "wx" });
    }
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EEXIST";
  }
}

function readList(file: string): Map<string, FileList> {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return new Map(Object.entries(value as Record<string, FileList>).filter(([, list]) => isFileList(list)));
  } catch {
    /* none yet, or torn: the files are made again */
  }
  return new Map();
}

function isFileList(list: unknown): list is FileList {
  return Array.isArray(list) && list.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === "string" && typeof e[1] === "string" && DIGEST.test(e[1]));
}

function writeList(file: string, lists: Map<string, FileList>): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(file, JSON.stringify(Object.fromEntries(lists)));
  } catch {
    /* a cache that cannot be written is only slower */
  }
}

/** Each note's files in memory (`npm start` without a cache folder). */
export function memoryNoteFiles(): NoteFilesMaker {
  return {
    filesOf({ folder, snippets, results, names }) {
      const files = snippetFiles(snippets, results, names);
      return { files: files.map((f) => ({ to: `${folder}/${f.path}`, content: f.content })), zip: files.some((f) => f.path === ZIP) };
    },
    done() {},
  };
}

/** A file whose bytes wait in the temporary file. */
class PendingFile implements GeneratedFile {
  private read = false;
  constructor(
    readonly to: string,
    private readonly at: number,
    private readonly bytes: number,
    private readonly readAt: (at: number, bytes: number, first: boolean) => Uint8Array,
  ) {}
  get content(): Uint8Array {
    const first = !this.read;
    this.read = true;
    return this.readAt(this.at, this.bytes, first);
  }
}

/**
 * Each note's files in one temporary file in `dir`, removed from its folder as soon as it is open. `close` frees it:
 * call it when the files were written (the next build does); it also closes itself once every file was read.
 */
export function temporaryNoteFiles(dir = os.tmpdir()): NoteFilesMaker & { close(): void } {
  const file = path.join(dir, `verinotes-snippet-files-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
  let fd: number | null = fs.openSync(file, "wx+", 0o600);
  try {
    fs.unlinkSync(file); // open files outlive their name (not on Windows: removed at close instead)
  } catch {
    /* removed at close */
  }
  let end = 0;
  let unread = 0;
  const close = () => {
    if (fd === null) return;
    fs.closeSync(fd);
    fd = null;
    fs.rmSync(file, { force: true });
  };
  const read = (at: number, bytes: number, first: boolean): Uint8Array => {
    if (fd === null) throw new Error("a note's snippet files were asked for after they were written");
    const out = Buffer.allocUnsafe(bytes);
    for (let done = 0; done < bytes; ) {
      const n = fs.readSync(fd, out, done, bytes - done, at + done);
      if (n === 0) throw new Error("the snippet files' temporary file was cut short");
      done += n;
    }
    if (first && --unread === 0) close();
    return out;
  };
  return {
    filesOf({ folder, snippets, results, names }) {
      const files = snippetFiles(snippets, results, names).map((f) => {
        const bytes = bytesOf(f.content);
        fs.writeSync(fd!, bytes, 0, bytes.length, end);
        end += bytes.length;
        unread++;
        return new PendingFile(`${folder}/${f.path}`, end - bytes.length, bytes.length, read);
      });
      return { files, zip: files.some((f) => f.to.endsWith(`/${ZIP}`)) };
    },
    done() {},
    close,
  };
}
