// What the benchmarks share: their command-line flags, the median, and the generated note corpora
// (../shared/bench/gen-notes.mjs), made once under bench/.work and reused by later runs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
export const work = path.join(root, "bench/.work");
const genNotes = path.resolve(root, "../shared/bench/gen-notes.mjs");

/** The value after `--name` on the command line, or the fallback. */
export function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** `count` generated notes in bench/.work/<folder>/notes, generated on first use. */
export function generatedNotes(count: number, folder = `n${count}`): string {
  const notes = path.join(work, folder, "notes");
  if (!fs.existsSync(notes)) {
    fs.mkdirSync(path.dirname(notes), { recursive: true });
    const r = spawnSync(process.execPath, [genNotes, notes, String(count)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`gen-notes failed (${r.status}): ${r.stderr}`);
  }
  return notes;
}

/**
 * Bare Eleventy over the same notes (made once beside them): the same Markdown, one minimal layout, no template
 * engine over Markdown. Returns its folder.
 */
export function bareEleventy(notes: string): string {
  const bare = path.join(path.dirname(notes), "bare");
  if (!fs.existsSync(bare)) {
    fs.mkdirSync(path.join(bare, "_includes"), { recursive: true });
    fs.cpSync(notes, path.join(bare, "posts"), { recursive: true });
    fs.writeFileSync(path.join(bare, "_includes/base.njk"), "<!doctype html><html lang=\"zh\"><title>{{ title }}</title><main data-pagefind-body>{{ content | safe }}</main></html>\n");
    fs.writeFileSync(path.join(bare, "posts/posts.json"), JSON.stringify({ layout: "base.njk" }));
    fs.writeFileSync(
      path.join(bare, "eleventy.config.mjs"),
      "export default function () { return { markdownTemplateEngine: false, dir: { input: '.', output: '_site' } }; }\n",
    );
  }
  return bare;
}
