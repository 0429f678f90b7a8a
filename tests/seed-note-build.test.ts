// The seed note (../shared/fixtures/seed-note.md, a real note) through the whole build: its page keeps every code
// block, table, block quote, link and image, at the URL Hexo gives it, with its snippets verified and downloadable.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runScript, sharedDir, tempDir } from "./helpers/cli.ts";

const seed = path.join(sharedDir, "fixtures/seed-note.md");
const dir = tempDir("seed");
const out = path.join(dir, "site");
let build: ReturnType<typeof runScript>;
let page: string;

const count = (text: string, needle: string) => text.split(needle).length - 1;

beforeAll(() => {
  fs.mkdirSync(path.join(dir, "notes"));
  fs.copyFileSync(seed, path.join(dir, "notes/seed-note.md"));
  build = runScript("build", ["--input", path.join(dir, "notes"), "--output", out], { VERINOTES_CACHE_DIR: path.join(dir, "cache") });
  page = fs.readFileSync(path.join(out, "2022/06/03/seed-note/index.html"), "utf8");
}, 180_000);

describe("the seed note, built", () => {
  const source = fs.readFileSync(seed, "utf8");
  // The note's article: what Markdown made of the body, without the site's frame.
  const article = () => page.slice(page.indexOf("<article"), page.lastIndexOf("</article>"));

  it("builds without errors and says what its snippets did", () => {
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/Built 1 notes, 0 pages, .*snippets: \d+ passed, .*; 0 errors/);
  });

  it("keeps its 21 code blocks, the table, 15 block quotes and the 4 images", () => {
    expect(count(article(), "<pre class=\"code\"")).toBe(21); // the diff of a failed block is a <pre> too
    expect(count(article(), "<table")).toBe(1);
    expect(count(article(), "<blockquote")).toBe(15);
    expect(count(article(), '<img src="https://raw.githubusercontent.com/')).toBe(4);
  });

  it("keeps every link the note makes", () => {
    const hrefs = [...source.matchAll(/(?<!!)\[[^\]]*\]\((https?:[^)\s]+)\)/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(20);
    for (const href of hrefs) expect(article(), href).toContain(`href="${href.replace(/&/g, "&amp;")}"`);
  });

  it("gives its code blocks a status on the page and a file to download", () => {
    expect(count(article(), "data-status=")).toBeGreaterThan(10);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "2022/06/03/seed-note/snippets/index.json"), "utf8")) as {
      snippets: { name: string; status: string | null }[];
    };
    expect(manifest.snippets.length).toBeGreaterThan(10);
    expect(manifest.snippets.every((s) => s.status)).toBe(true);
    for (const s of manifest.snippets) expect(fs.existsSync(path.join(out, "2022/06/03/seed-note/snippets", s.name))).toBe(true);
  });
});
