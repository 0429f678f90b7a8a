// Rendered pages kept in the cache folder, each under its route, the digest of its values and the build's context
// (incremental.ts, output-record.ts), so that a build into a fresh output folder with the caches kept (what CI has)
// writes every page whose values did not change from what it kept instead of rendering it again: `reuseOutput` for an
// output folder that is gone (issue 16).
// One pack of every kept page's bytes and an index beside it, not a file per page: creating 1,700 files in the cache
// cost a build that renders everything 1.4-3.4 s of system time here, a pack one write. Nothing is linked into the
// output folder, so a page written again in place (by Eleventy or by a tool run on the site) never changes the cache.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeAtomically } from "./json-cache.ts";

const INDEX = "pages.json";
const INDEX_VERSION = 1;

interface PackIndex {
  version: number;
  /** The pack's file name, in the same folder. */
  pack: string;
  /** Page name (see nameOf) → [offset, length] in the pack. */
  entries: Record<string, [number, number]>;
}

export interface PageStore {
  /** Writes the kept page of `route` at `digest` to `target` (its folder made); false when none is kept. */
  restore(route: string, digest: string, target: string): boolean;
  /** Keeps what is kept of `route` at `digest`: the output folder has that page already. */
  hold(route: string, digest: string): void;
  /** Keeps `bytes` (a page just rendered) as the page of `route` at `digest`, once `save` is called. */
  keep(route: string, digest: string, bytes: Uint8Array | string): void;
  /** Writes a new pack of the pages this build restored, held or kept, when that is not the pack there already. */
  save(): void;
}

export function pageStore(dir: string, context: string): PageStore {
  const nameOf = (route: string, digest: string) => crypto.createHash("sha1").update(`${context}\0${route}\0${digest}`).digest("hex");
  const index = readIndex(dir);
  let pack: Buffer | undefined;
  const packBytes = () => (pack ??= readPack(dir, index));
  const used = new Set<string>();
  const kept = new Map<string, Uint8Array>();
  const madeFolders = new Set<string>();
  return {
    restore(route, digest, target) {
      const name = nameOf(route, digest);
      const at = index?.entries[name];
      const bytes = at && packBytes();
      if (!at || !bytes || at[0] + at[1] > bytes.length) return false;
      const folder = path.dirname(target);
      if (!madeFolders.has(folder)) fs.mkdirSync(folder, { recursive: true });
      madeFolders.add(folder);
      fs.writeFileSync(target, bytes.subarray(at[0], at[0] + at[1]));
      used.add(name);
      return true;
    },
    hold(route, digest) {
      used.add(nameOf(route, digest));
    },
    keep(route, digest, bytes) {
      const name = nameOf(route, digest);
      used.add(name);
      kept.set(name, typeof bytes === "string" ? Buffer.from(bytes) : bytes);
    },
    save() {
      const old = index?.entries ?? {};
      const stays = Object.keys(old).filter((name) => used.has(name) && !kept.has(name));
      if (!kept.size && stays.length === Object.keys(old).length) return; // the pack there is this build's
      const parts: Uint8Array[] = [];
      const entries: PackIndex["entries"] = {};
      let offset = 0;
      const add = (name: string, bytes: Uint8Array) => {
        parts.push(bytes);
        entries[name] = [offset, bytes.length];
        offset += bytes.length;
      };
      const previous = stays.length ? packBytes() : undefined;
      for (const name of stays) if (previous) add(name, previous.subarray(old[name][0], old[name][0] + old[name][1]));
      for (const [name, bytes] of kept) add(name, bytes);
      fs.mkdirSync(dir, { recursive: true });
      const packName = `pages-${Date.now().toString(36)}-${process.pid}.pack`;
      writeAtomically(path.join(dir, packName), Buffer.concat(parts));
      writeAtomically(path.join(dir, INDEX), JSON.stringify({ version: INDEX_VERSION, pack: packName, entries } satisfies PackIndex));
      for (const file of fs.readdirSync(dir)) if (file.endsWith(".pack") && file !== packName) fs.rmSync(path.join(dir, file), { force: true });
    },
  };
}

function readIndex(dir: string): PackIndex | undefined {
  try {
    const index = JSON.parse(fs.readFileSync(path.join(dir, INDEX), "utf8")) as PackIndex;
    return index?.version === INDEX_VERSION && typeof index.pack === "string" && index.entries ? index : undefined;
  } catch {
    return undefined;
  }
}

function readPack(dir: string, index: PackIndex | undefined): Buffer | undefined {
  if (!index) return undefined;
  try {
    return fs.readFileSync(path.join(dir, path.basename(index.pack)));
  } catch {
    return undefined;
  }
}
