// Result cache (§7), in a folder CI can keep (`.cache/snippets/`).
//
// Keys (see verify.ts): a session's raw results are keyed by the verifier's code, the interpreter and
// its installed modules, the session's files and every block of the session in order (so an edit to a
// block re-runs its session; an edit to prose, to an expected output or to another note re-runs nothing:
// expected outputs are not part of what runs, they are judged again from the cached raw results).
// A note's final results are also kept under a key of its whole text, so a warm run skips parsing.
//
// On disk the entries are packs: append-only files of `key<TAB>json` lines, one pack per process, written in
// batches. A cold verify of thousands of notes makes two entries a note; a file per entry written by rename
// cost more than parsing the notes (issue 16), and a warm run read thousands of small files. A pack's name
// says which code wrote it (its generation): every key holds that code's digest, so a pack of other code can
// never answer: it is not read, and once unused for an hour it is removed (else each change to the verifier added
// its entries for good).
import { isAscii } from "node:buffer";
import { hash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface ResultCache {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  /** An entry as it is kept, unparsed: the text setText stored, or set's JSON. */
  getText(key: string): string | undefined;
  /** Keeps text of the caller's own format (get cannot read it unless it is JSON); it must not hold a newline. */
  setText(key: string, text: string): void;
  /** Drops what it keeps in memory for entries no one asked for since the last call (the folder cache). */
  forgetUnused?(): void;
  /** Writes what is not on disk yet (the folder cache); called when a run ends. */
  flush?(): void;
}

/** A key's material: each part (a string as it is, anything else as JSON) followed by a NUL. */
function keyMaterial(parts: unknown[]): string {
  let text = "";
  for (const p of parts) text += `${typeof p === "string" ? p : JSON.stringify(p)}\0`;
  return text;
}

// crypto.hash, one call over the parts joined: the digest an incremental Hash of the same parts gives, at a fraction
// of the cost of a Hash object (a cold verify keys every note, session and snippet; issue 16)
export function cacheKey(...parts: unknown[]): string {
  return hash("sha256", keyMaterial(parts), "hex");
}

/** cacheKey with its first parts made into text once: `keyer(a, b)(c)` is `cacheKey(a, b, c)` (a warm run keys every note). */
export function cacheKeyer(...prefix: unknown[]): (...rest: unknown[]) => string {
  const head = keyMaterial(prefix);
  return (...rest) => hash("sha256", head + keyMaterial(rest), "hex");
}

export interface PackCacheOptions {
  /**
   * What the entries are and the code that made them (`session-<digest>`): packs of the same kind and another
   * generation are removed (once idle), packs of other kinds left alone. "" (the default) reads every pack.
   */
  generation: string;
  /** Entries kept in memory before they are appended to this process's pack. */
  batch: number;
  /** Packs in the folder past which loading merges them into one. */
  mergeAbove: number;
  /** A pack modified this recently may still be growing (another process): it is read, never merged away. */
  busyMs: number;
  /**
   * A pack of another generation is removed once unmodified this long: the checkout's compiled CLI and its sources
   * run as another generation each, and a developer who alternates them should not lose either's results.
   */
  staleMs: number;
}

const PACK_DEFAULTS: PackCacheOptions = { generation: "", batch: 512, mergeAbove: 16, busyMs: 60_000, staleMs: 3_600_000 };
const PACK = /\.pack$/;
/** `<kind>-<digest>.` before a pack's stamp; a pack without it was written before generations. */
const GENERATION = /^([a-z]+)-[0-9a-f]+\./;

/** The entries of a pack's text; a torn last line (a process killed while appending) is left out. */
export function readPack(text: string, into: Map<string, string>): void {
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    if (end < 0) break; // torn: the newline is written last
    const tab = text.indexOf("\t", start);
    if (tab > start && tab < end) into.set(text.slice(start, tab), text.slice(tab + 1, end));
    start = end + 1;
  }
}

/** A pack's bytes as text: most packs are ASCII (JSON escapes little), decoded as latin1 at a tenth of readFileSync's UTF-8. */
function packText(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
}

/**
 * A cache in `dir` (created on first write). Every pack is read once, when the cache is first used; unreadable or
 * corrupt entries are misses. Entries are strings in memory and parsed on each get, so nothing shares what a caller
 * may change.
 */
export function createFsCache(dir: string, options: Partial<PackCacheOptions> = {}): ResultCache {
  const opts = { ...PACK_DEFAULTS, ...options };
  let known: Map<string, string> | null = null;
  const used = new Set<string>();
  let pending: string[] = [];
  let pack: string | null = null;

  const prefix = opts.generation ? `${opts.generation}.` : "";
  const kind = GENERATION.exec(prefix)?.[1];
  /** A pack of this cache's kind written by other code (or before generations), which no key can hit. */
  const stale = (n: string) => !!prefix && !n.startsWith(prefix) && (GENERATION.exec(n)?.[1] ?? kind) === kind;

  const load = (): Map<string, string> => {
    if (known) return known;
    known = new Map();
    let names: string[] = [];
    try {
      const all = fs.readdirSync(dir).filter((n) => PACK.test(n));
      removeIdle(all.filter(stale));
      names = all.filter((n) => n.startsWith(prefix) && !stale(n)).sort();
    } catch {
      return known; // no folder yet
    }
    for (const n of names) {
      try {
        readPack(packText(fs.readFileSync(path.join(dir, n))), known);
      } catch {
        /* unreadable: its entries are misses */
      }
    }
    if (names.length > opts.mergeAbove) merge(names);
    return known;
  };

  const idleOf = (names: string[], ms = opts.busyMs) => {
    const now = Date.now();
    return names.filter((n) => {
      try {
        return now - fs.statSync(path.join(dir, n)).mtimeMs > ms;
      } catch {
        return false;
      }
    });
  };
  const removeIdle = (names: string[]) => {
    for (const n of idleOf(names, opts.staleMs)) fs.rmSync(path.join(dir, n), { force: true });
  };

  /** One pack instead of many: the merged one is written by rename, then the packs no process is still writing go. */
  const merge = (names: string[]) => {
    const idle = idleOf(names);
    if (idle.length < 2) return;
    try {
      const merged = path.join(dir, `${prefix}${packStamp()}.merged.pack`);
      const tmp = `${merged}.tmp`;
      fs.writeFileSync(tmp, [...known!].map(([k, v]) => `${k}\t${v}\n`).join(""));
      fs.renameSync(tmp, merged);
      for (const n of idle) fs.rmSync(path.join(dir, n), { force: true });
    } catch {
      /* only more packs to read next time */
    }
  };

  const flush = () => {
    if (!pending.length) return;
    const lines = pending.join("");
    pending = [];
    try {
      if (!pack) {
        fs.mkdirSync(dir, { recursive: true });
        pack = path.join(dir, `${prefix}${packStamp()}.pack`);
      }
      fs.appendFileSync(pack, lines); // one write: a kill leaves whole lines and at most one torn one
    } catch {
      /* a cache that cannot be written is only slower */
    }
  };

  const getText = (key: string): string | undefined => {
    const text = load().get(key);
    if (text !== undefined) used.add(key);
    return text;
  };
  const setText = (key: string, text: string): void => {
    if (text.includes("\n")) throw new Error("a cache entry is one line of a pack: no newline");
    load().set(key, text);
    used.add(key);
    pending.push(`${key}\t${text}\n`);
    if (pending.length >= opts.batch) flush();
  };

  return {
    get<T>(key: string): T | undefined {
      const text = getText(key);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
    set: (key, value) => setText(key, JSON.stringify(value)),
    getText,
    setText,
    forgetUnused() {
      // every entry used (a warm run's usual case; `used` only holds keys `known` has): nothing to look through
      if (known && used.size < known.size) for (const key of known.keys()) if (!used.has(key)) known.delete(key);
      used.clear();
    },
    flush,
  };
}

/** A pack's name: sorts by time, so a later pack's entry wins over an earlier one's. */
function packStamp(): string {
  return `${Date.now().toString(36).padStart(9, "0")}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/** A cache that remembers within one run only. */
export function createMemoryCache(): ResultCache {
  const m = new Map<string, string>();
  return {
    get<T>(key: string) {
      const v = m.get(key);
      try {
        return v === undefined ? undefined : (JSON.parse(v) as T);
      } catch {
        return undefined; // text setText kept in a format of its own
      }
    },
    set(key, value) {
      m.set(key, JSON.stringify(value));
    },
    getText: (key) => m.get(key),
    setText(key, text) {
      if (text.includes("\n")) throw new Error("a cache entry is one line of a pack: no newline");
      m.set(key, text);
    },
  };
}
