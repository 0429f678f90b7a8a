// A folder of JSON entries by key (`<dir>/ab/abcdef….json`), written by rename so a build killed half-way never
// leaves a torn entry. Entries read or written are also kept in memory as text, so a long-lived process
// (`npm start`) does not read them from disk again; `forgetUnused` drops the ones no build asked for since the
// last call. Used by the render cache here and by the snippets plugin's result cache.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface JsonCache {
  /** The entry, a fresh copy each time (nothing shares what a caller may change); undefined when missing or corrupt. */
  get<T>(key: string): T | undefined;
  /** Stores an entry; a cache that cannot be written is only slower. */
  set(key: string, value: unknown): void;
  /** Forgets the in-memory entries not asked for since the last call (notes edited or gone). */
  forgetUnused(): void;
}

/** Writes a file by rename, so that a process killed half-way leaves the old file or the new one, never a torn one. */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function createJsonCache(dir: string): JsonCache {
  const known = new Map<string, string>();
  const used = new Set<string>();
  const made = new Set<string>();
  const fileOf = (key: string) => path.join(dir, key.slice(0, 2), `${key}.json`);
  return {
    get<T>(key: string): T | undefined {
      used.add(key);
      try {
        let text = known.get(key);
        if (text === undefined) known.set(key, (text = fs.readFileSync(fileOf(key), "utf8")));
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      const text = JSON.stringify(value);
      known.set(key, text);
      used.add(key);
      const file = fileOf(key);
      try {
        const folder = path.dirname(file);
        if (!made.has(folder)) fs.mkdirSync(folder, { recursive: true });
        made.add(folder);
        writeAtomically(file, text);
      } catch {
        /* only slower next time */
      }
    },
    forgetUnused() {
      for (const key of known.keys()) if (!used.has(key)) known.delete(key);
      used.clear();
    },
  };
}
