// The stat index of `npm run verify`: for each note it read, the note's stat (size, modification and change
// times, inode, device) beside what the verifier's cache key takes from its text (noteDigest). A later run that
// finds a note with the same stat neither reads nor hashes it: reading and decoding 4,000 notes was a third of a
// warm run (issue 16). Only the text is stood for: the verifier still keys the note by its code, options,
// interpreter and everything else, and reads the note when its result is not in the cache.
//
// As git's index, it trusts a stat only when the file could not have changed without changing it: a note is
// recorded only when both its times are RACY_MS older than the run that read it, so that an edit made after the
// read (even one of the same size within the same clock tick) gets a change time the record does not have. Any
// write, rename onto the path or `touch -d` sets the change time to now, which no one can set back.
import { hash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { codeFolderOf } from "../plugins/hexo/code-digest.ts";

/** How much older than the run a note's times must be to be recorded (file system clock ticks, a network share's skew). */
export const RACY_MS = 3000;

/** A note's path, its stat and what it stands for, as saved: [rel, size, mtimeMs, ctimeMs, ino, dev, digest]. */
type Entry = [string, number, number, number, number, number, string];

type Stat = Pick<fs.Stats, "size" | "mtimeMs" | "ctimeMs" | "ino" | "dev">;

export interface StatIndex {
  /** The digest recorded for the note at `rel` when its stat is still the recorded one. */
  known(rel: string, stat: Stat): string | undefined;
  /** Records a note read this run (its stat taken before it was read), unless its times are too recent to trust. */
  record(rel: string, stat: Stat, digest: string): void;
  /** Writes the index when it changed: the notes recorded or known this run, and no other. */
  save(): void;
}

const entryOf = (rel: string, s: Stat, digest: string): Entry => [rel, s.size, s.mtimeMs, s.ctimeMs, s.ino, s.dev, digest];
/** Whether a saved entry is of this stat (its digest aside). */
const sameStat = (e: Entry, s: Stat) => e.length === 7 && e[1] === s.size && e[2] === s.mtimeMs && e[3] === s.ctimeMs && e[4] === s.ino && e[5] === s.dev;

/**
 * The index of the notes below `root`, kept in `dir` (the result cache's folder). `scheme` names how digests are
 * made: an index made another way is not read. `startedAt` is when this run began looking at the notes.
 */
export function openStatIndex(dir: string, root: string, scheme: string, startedAt = Date.now()): StatIndex {
  const file = path.join(dir, `notes-${hash("sha256", path.resolve(root), "hex").slice(0, 16)}.stat-index.json`);
  const schemeId = hash("sha256", scheme, "hex");
  // each saved entry as it is parsed, by its path: a copy of each without its path was a third of reading 4,000
  const before = new Map<string, Entry>();
  try {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { scheme: string; notes: Entry[] };
    if (saved.scheme === schemeId && Array.isArray(saved.notes)) for (const e of saved.notes) if (Array.isArray(e)) before.set(e[0], e);
  } catch {
    /* none yet, or unreadable: every note is read */
  }
  const now = new Map<string, Entry>();
  let changed = false;
  return {
    known(rel, stat) {
      const e = before.get(rel);
      if (!e || !sameStat(e, stat) || typeof e[6] !== "string") return undefined;
      now.set(rel, e);
      return e[6];
    },
    record(rel, stat, digest) {
      if (!(Math.max(stat.mtimeMs, stat.ctimeMs) < startedAt - RACY_MS)) return;
      const old = before.get(rel);
      if (!old || !sameStat(old, stat) || old[6] !== digest) changed = true;
      now.set(rel, entryOf(rel, stat, digest));
    },
    save() {
      if (!changed && now.size === before.size) return;
      try {
        fs.mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ scheme: schemeId, notes: [...now.values()] }));
        fs.renameSync(tmp, file); // whole or not at all: two runs at once leave one's index, right either way
      } catch {
        /* an index that cannot be written only means reading the notes next time */
      }
    },
  };
}

/**
 * The sources of these modules (paths without their extension), joined: for the compiled CLI of a checkout, the
 * TypeScript its dist/ was built from (plugins/hexo/code-digest.ts), else the module that runs.
 */
export function moduleSources(modules: string[]): string {
  let text = "";
  for (const module of modules) {
    const dir = codeFolderOf(path.dirname(module));
    const name = path.basename(module);
    let code = "";
    for (const ext of [".ts", ".js"]) {
      try {
        code = fs.readFileSync(path.join(dir, name + ext), "utf8");
        break;
      } catch {
        /* the other extension */
      }
    }
    text += `${name}\0${code}\0`;
  }
  return text;
}
