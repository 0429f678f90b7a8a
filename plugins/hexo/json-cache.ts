// A folder of JSON entries by key (`<dir>/ab/abcdef….json`): the render cache. Entries are written in the
// background (the event loop's thread pool) while the build goes on, and `flush` waits for them: written one at
// a time on the build's thread, 1,000 renders cost more than rendering them (issue 16). A build killed half-way can
// leave a torn entry; it does not parse, so it is a miss. A long-lived process (`npm start`) asks to keep the
// entries it read or wrote in memory as text, so a rebuild does not read them again; `forgetUnused` then drops the
// ones no build asked for since the last call. A one-shot build keeps nothing: a note's render is read once.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface JsonCache {
  /** The entry, a fresh copy each time (nothing shares what a caller may change); undefined when missing or corrupt. */
  get<T>(key: string): T | undefined;
  /** Stores an entry: written in the background; a cache that cannot be written is only slower. */
  set(key: string, value: unknown): void;
  /** Waits until every entry set so far is on disk (or failed to be written). */
  flush(): Promise<void>;
  /** Whether entries stay in memory between builds (`npm start`); off by default. */
  keepInMemory(on: boolean): void;
  /** Forgets the in-memory entries not asked for since the last call (notes edited or gone). */
  forgetUnused(): void;
}

/** Writes a file by rename, so that a process killed half-way leaves the old file or the new one, never a torn one. */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Writes at once: more would only queue in the thread pool (4 threads) ahead of other I/O. */
const WRITES_AT_ONCE = 4;

export function createJsonCache(dir: string): JsonCache {
  const known = new Map<string, string>();
  const used = new Set<string>();
  let remember = false;
  // Entries waiting to be written, and the folders made (or being made) so far.
  const queue: { key: string; text: string }[] = [];
  const folders = new Map<string, Promise<unknown>>();
  let writing = 0;
  let idle: (() => void)[] = [];
  const fileOf = (key: string) => path.join(dir, key.slice(0, 2), `${key}.json`);

  const write = async ({ key, text }: { key: string; text: string }) => {
    const file = fileOf(key);
    const folder = path.dirname(file);
    let made = folders.get(folder);
    if (!made) folders.set(folder, (made = fs.promises.mkdir(folder, { recursive: true }).catch(() => undefined)));
    await made;
    await fs.promises.writeFile(file, text);
  };
  const next = () => {
    while (writing < WRITES_AT_ONCE && queue.length) {
      writing++;
      write(queue.shift()!)
        .catch(() => undefined) // only slower next time
        .finally(() => {
          writing--;
          next();
        });
    }
    if (!writing && !queue.length) {
      const waiting = idle;
      idle = [];
      for (const resolve of waiting) resolve();
    }
  };

  return {
    get<T>(key: string): T | undefined {
      used.add(key);
      try {
        let text = known.get(key);
        if (text === undefined) {
          text = fs.readFileSync(fileOf(key), "utf8");
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
      queue.push({ key, text });
      next();
    },
    flush() {
      if (!writing && !queue.length) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
    keepInMemory(on) {
      remember = on;
      if (!on) known.clear();
    },
    forgetUnused() {
      for (const key of known.keys()) if (!used.has(key)) known.delete(key);
      used.clear();
    },
  };
}
