// The render cache on disk: JSON entries by key in packs, `<dir>/<stamp>.pack` (the entries' texts one after the
// other) with `<stamp>.keys` (each key, where its text starts and how long it is), written last and by rename, so a
// pack whose process was killed is never read. An entry is read from its pack when asked for, so a build holds only
// the keys in memory. A file per entry cost a new file for every note rendered and an open for every note read back,
// and creating files is what a fresh build pays most for on a busy disk (issue 16): 1,000 renders were 1,256 files.
//
// Each process appends what it renders to a pack of its own. A one-shot build, when it ends, rewrites the packs into
// one when they hold mostly entries it did not use (notes edited or gone, older plugin code) or when there are many.
// A long-lived process (`npm start`) asks to keep the entries it read or wrote in memory as text, so a rebuild does
// not read them again; `forgetUnused` then drops the ones no build asked for since the last call.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface JsonCache {
  /** The entry, a fresh copy each time (nothing shares what a caller may change); undefined when missing or corrupt. */
  get<T>(key: string): T | undefined;
  /** Stores an entry (in this process's pack; readable by others once flushed). A cache that cannot be written is only slower. */
  set(key: string, value: unknown): void;
  /** Makes every entry set so far readable by other processes; at the end of a one-shot build, compacts the packs. */
  flush(options?: { compact?: boolean }): Promise<void>;
  /** Whether entries stay in memory between builds (`npm start`); off by default. */
  keepInMemory(on: boolean): void;
  /** Forgets the in-memory entries not asked for since the last call (notes edited or gone). */
  forgetUnused(): void;
}

/** Writes a file by rename, so that a process killed half-way leaves the old file or the new one, never a torn one. */
export function writeAtomically(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

interface Pack {
  /** Path without extension: `<dir>/<stamp>`. */
  base: string;
  fd: number;
  /** Bytes written so far (this process's own pack). */
  end: number;
}

interface Place {
  pack: Pack;
  at: number;
  bytes: number;
}

/** Packs past which a one-shot build merges them, and the share of unused bytes past which it rewrites them. */
const MAX_PACKS = 4;
const MAX_UNUSED = 0.25;
/** A pack without its keys this old was left by a killed process (a younger one may still be being written). */
const ORPHAN_MS = 3_600_000;

export function createJsonCache(dir: string): JsonCache {
  let places: Map<string, Place> | null = null;
  const loaded: Pack[] = [];
  let own: Pack | null = null;
  let ownKeys: [string, number, number][] = [];
  let ownKeysWritten = 0;
  const known = new Map<string, string>();
  /** Keys this process asked for or stored (what compaction keeps), and those asked for since `forgetUnused`. */
  const used = new Set<string>();
  const asked = new Set<string>();
  let remember = false;

  const load = (): Map<string, Place> => {
    if (places) return places;
    places = new Map();
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith(".keys")).sort(); // by time: a later pack's entry wins
    } catch {
      return places; // no folder yet
    }
    for (const name of names) {
      const base = path.join(dir, name.slice(0, -".keys".length));
      try {
        const keys = JSON.parse(fs.readFileSync(`${base}.keys`, "utf8")) as [string, number, number][];
        const pack: Pack = { base, fd: fs.openSync(`${base}.pack`, "r"), end: 0 };
        loaded.push(pack);
        for (const [key, at, bytes] of keys) places.set(key, { pack, at, bytes });
      } catch {
        /* unreadable: its entries are misses */
      }
    }
    return places;
  };

  const read = ({ pack, at, bytes }: Place): string => {
    const buffer = Buffer.allocUnsafe(bytes);
    let done = 0;
    while (done < bytes) {
      const n = fs.readSync(pack.fd, buffer, done, bytes - done, at + done);
      if (n === 0) throw new Error("cut short");
      done += n;
    }
    return buffer.toString("utf8");
  };

  const append = (key: string, text: string) => {
    if (!own) {
      fs.mkdirSync(dir, { recursive: true });
      const base = path.join(dir, packStamp());
      own = { base, fd: fs.openSync(`${base}.pack`, "w+"), end: 0 };
    }
    const bytes = Buffer.from(text);
    fs.writeSync(own.fd, bytes, 0, bytes.length, own.end);
    ownKeys.push([key, own.end, bytes.length]);
    load().set(key, { pack: own, at: own.end, bytes: bytes.length });
    own.end += bytes.length;
  };

  /**
   * Packs none of whose entries this build used go; the rest are rewritten into one pack of the entries it used when
   * there are too many of them or they hold too much it did not use.
   */
  const compact = () => {
    const all = load();
    const packs = [...loaded, ...(own ? [own] : [])];
    const usedBytes = new Map<Pack, number>();
    const unusedBytes = new Map<Pack, number>();
    for (const [key, place] of all) {
      const sums = used.has(key) ? usedBytes : unusedBytes;
      sums.set(place.pack, (sums.get(place.pack) ?? 0) + place.bytes);
    }
    const live = packs.filter((p) => usedBytes.has(p));
    const dead = packs.filter((p) => !usedBytes.has(p));
    const sum = (m: Map<Pack, number>) => live.reduce((n, p) => n + (m.get(p) ?? 0), 0);
    const rewrite = live.length > MAX_PACKS || sum(unusedBytes) > (sum(usedBytes) + sum(unusedBytes)) * MAX_UNUSED;
    if (rewrite) {
      const base = path.join(dir, packStamp());
      const fd = fs.openSync(`${base}.pack`, "w");
      const keys: [string, number, number][] = [];
      let end = 0;
      for (const [key, place] of all) {
        if (!used.has(key)) continue;
        const bytes = Buffer.from(read(place));
        fs.writeSync(fd, bytes, 0, bytes.length, end);
        keys.push([key, end, bytes.length]);
        end += bytes.length;
      }
      fs.closeSync(fd);
      writeAtomically(`${base}.keys`, JSON.stringify(keys));
    }
    for (const pack of rewrite ? packs : dead) {
      fs.rmSync(`${pack.base}.keys`, { force: true }); // first: a pack is never read without its keys
      fs.rmSync(`${pack.base}.pack`, { force: true });
      fs.closeSync(pack.fd);
      if (pack === own) own = null;
    }
    removeOrphans();
    loaded.length = 0;
    if (own) loaded.push(own);
    own = null; // a later entry goes to a new pack
    ownKeys = [];
    ownKeysWritten = 0;
    if (rewrite || dead.length) places = null; // read again from what is left if asked
  };

  const removeOrphans = () => {
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith(".pack") || fs.existsSync(path.join(dir, `${name.slice(0, -".pack".length)}.keys`))) continue;
      const file = path.join(dir, name);
      if (now - fs.statSync(file).mtimeMs > ORPHAN_MS) fs.rmSync(file, { force: true });
    }
  };

  return {
    get<T>(key: string): T | undefined {
      used.add(key);
      asked.add(key);
      try {
        let text = known.get(key);
        if (text === undefined) {
          const place = load().get(key);
          if (!place) return undefined;
          text = read(place);
          if (remember) known.set(key, text);
        }
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      const text = JSON.stringify(value);
      if (remember) known.set(key, text);
      used.add(key);
      asked.add(key);
      try {
        append(key, text);
      } catch {
        /* only slower next time */
      }
    },
    async flush({ compact: compacting = false } = {}) {
      try {
        if (own && ownKeys.length > ownKeysWritten) {
          writeAtomically(`${own.base}.keys`, JSON.stringify(ownKeys));
          ownKeysWritten = ownKeys.length;
        }
        if (compacting) compact();
      } catch {
        /* only slower next time */
      }
    },
    keepInMemory(on) {
      remember = on;
      if (!on) known.clear();
    },
    forgetUnused() {
      for (const key of known.keys()) if (!asked.has(key)) known.delete(key);
      asked.clear();
    },
  };
}

/** A pack's name: sorts by time, so a later pack's entry wins over an earlier one's. */
function packStamp(): string {
  return `${Date.now().toString(36).padStart(9, "0")}-${process.pid}-${randomBytes(3).toString("hex")}`;
}
