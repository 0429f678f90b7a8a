// Result cache (§7): one small JSON file per key under a folder CI can keep (`.cache/snippets/`).
//
// Keys (see verify.ts): a session's raw results are keyed by the verifier version, the interpreter and
// its installed modules, the session's files and every block of the session in order (so an edit to a
// block re-runs its session; an edit to prose, to an expected output or to another note re-runs nothing:
// expected outputs are not part of what runs, they are judged again from the cached raw results).
// A note's final results are also kept under a key of its whole text, so a warm run skips parsing.
import { createHash } from "node:crypto";
import { createJsonCache } from "../hexo/json-cache.ts";

export interface ResultCache {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  /** Drops what it keeps in memory for entries no one asked for since the last call (the folder cache). */
  forgetUnused?(): void;
}

export function cacheKey(...parts: unknown[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(typeof p === "string" ? p : JSON.stringify(p));
    h.update("\0");
  }
  return h.digest("hex");
}

/** A cache in `dir` (created on first write). Unreadable or corrupt entries are misses. */
export function createFsCache(dir: string): ResultCache {
  return createJsonCache(dir);
}

/** A cache that remembers within one run only. */
export function createMemoryCache(): ResultCache {
  const m = new Map<string, string>();
  return {
    get<T>(key: string) {
      const v = m.get(key);
      return v === undefined ? undefined : (JSON.parse(v) as T);
    },
    set(key, value) {
      m.set(key, JSON.stringify(value));
    },
  };
}
