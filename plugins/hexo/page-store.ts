// Rendered pages kept in the cache folder (`<render cache>/pages`), each under its route, the digest of its values and
// the build's context (incremental.ts, output-record.ts), so that a build into a fresh output folder with the caches
// kept (what CI has) copies every page whose values did not change instead of rendering it again: `reuseOutput` for
// an output folder that is gone (issue 16). Copies, not hard links, both ways: a page Eleventy writes again, or a
// tool that rewrites the site in place, must never change what the cache holds. A page is kept by a temporary file
// and a rename, so a build killed half-way never leaves half a page to copy.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface PageStore {
  /** Copies the kept page of `route` at `digest` to `target` (its folder made); false when none is kept. */
  restore(route: string, digest: string, target: string): boolean;
  /** Keeps what is kept of `route` at `digest` (the output folder has that page already: nothing is copied). */
  hold(route: string, digest: string): void;
  /** Keeps the page `source` (just written) as the page of `route` at `digest`; nothing when it is not there. */
  keep(route: string, digest: string, source: string): void;
  /** Removes the kept pages this build neither restored nor kept: pages that changed or are gone. */
  forgetOthers(): void;
}

export function pageStore(dir: string, context: string): PageStore {
  const used = new Set<string>();
  const madeFolders = new Set<string>();
  const nameOf = (route: string, digest: string) => crypto.createHash("sha1").update(`${context}\0${route}\0${digest}`).digest("hex");
  return {
    restore(route, digest, target) {
      const name = nameOf(route, digest);
      const folder = path.dirname(target);
      if (!madeFolders.has(folder)) fs.mkdirSync(folder, { recursive: true });
      madeFolders.add(folder);
      try {
        fs.copyFileSync(path.join(dir, name), target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw error;
      }
      used.add(name);
      return true;
    },
    hold(route, digest) {
      used.add(nameOf(route, digest));
    },
    keep(route, digest, source) {
      const name = nameOf(route, digest);
      if (!madeFolders.has(dir)) fs.mkdirSync(dir, { recursive: true });
      madeFolders.add(dir);
      const temporary = path.join(dir, `${name}.${process.pid}.tmp`);
      try {
        fs.copyFileSync(source, temporary);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // not written (a page another plugin dropped)
        throw error;
      }
      fs.renameSync(temporary, path.join(dir, name));
      used.add(name);
    },
    forgetOthers() {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names) if (!used.has(name)) fs.rmSync(path.join(dir, name), { force: true });
    },
  };
}
