// The package as users get it (issue 14): `npm pack`, then the tarball installed, with no install scripts run and
// no tsx, into a fresh Hexo blog folder (`npx verinotes build` there) and into a fresh Eleventy site whose plain
// `eleventy.config.js` adds the plugins (`npx @11ty/eleventy`). Both sites are built for real: the note at its Hexo
// URL, its code verified by the packaged Python runners, the snippet files and zip, the search index, the layouts.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot, sharedDir, tempDir, writeTree } from "./helpers/cli.ts";

const run = promisify(execFile);

/** The environment of a user's shell: none of this checkout's VERINOTES_* settings. */
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VERINOTES_")));

interface Result {
  status: number;
  out: string;
}

async function command(cmd: string, args: string[], cwd: string): Promise<Result> {
  try {
    const r = await run(cmd, args, { cwd, env: userEnv, maxBuffer: 64 << 20, encoding: "utf8" });
    return { status: 0, out: r.stdout + r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { status: typeof e.code === "number" ? e.code : -1, out: `${e.stdout ?? ""}${e.stderr ?? e.message}` };
  }
}

/** `npm i -D <tarball>` as a user would, install scripts off (npm 11 runs no dependency's anyway). */
async function install(dir: string, tarball: string): Promise<void> {
  const r = await command("npm", ["install", "--save-dev", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", tarball], dir);
  expect(r.status, r.out).toBe(0);
}

const NOTE = `---
title: Package check
date: 2024-03-05 10:00:00
tags: [demo]
---

A note with code that runs.

\`\`\`python
print(6 * 7)
\`\`\`

\`\`\`
42
\`\`\`

\`\`\`bash
echo "$((6 * 7))"
\`\`\`

\`\`\`
42
\`\`\`
`;

const ELEVENTY_CONFIG = `import path from "node:path";
import hexoNotes from "verinotes/hexo";
import verifiedSnippets from "verinotes/snippets";
import verinotesSearch from "verinotes/search";
import { LAYOUTS_DIR, siteAssets } from "verinotes/site";

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(hexoNotes, { input: "notes" });
  eleventyConfig.addPlugin(verifiedSnippets);
  eleventyConfig.addPlugin(verinotesSearch);
  eleventyConfig.setLayoutsDirectory(path.relative(".", LAYOUTS_DIR));
  eleventyConfig.addPlugin(siteAssets);
}
`;

describe("the npm package", () => {
  const dir = tempDir("package");
  const blog = path.join(dir, "blog");
  const site = path.join(dir, "site");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    const packed = await command("npm", ["pack", "--pack-destination", dir], projectRoot); // runs `prepare`: dist/
    expect(packed.status, packed.out).toBe(0);
    const tarball = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith(".tgz"))!);

    writeTree(blog, {
      "package.json": JSON.stringify({ name: "my-blog", private: true }),
      "_config.yml": "title: My blog\nurl: https://example.com\nlanguage: en\npermalink: :year/:month/:day/:title/\n",
      "source/_posts/package-check.md": NOTE,
      "source/_posts/seed-note.md": fs.readFileSync(path.join(sharedDir, "fixtures/seed-note.md")),
    });
    writeTree(site, {
      "package.json": JSON.stringify({ name: "my-site", private: true, type: "module" }),
      "eleventy.config.js": ELEVENTY_CONFIG,
      "about.html": "<!doctype html><title>About</title><p>The site's own page.</p>\n",
      "notes/package-check.md": NOTE,
    });
    await Promise.all([install(blog, tarball), install(site, tarball)]);
  }, 480_000); // tsc and two installs: 2.5-3 of the test's 3.5 min on the 2-core development machine at load 16-18

  it("installs without tsx and with the runtime files beside the compiled modules", () => {
    const pkg = path.join(blog, "node_modules/verinotes");
    expect(fs.existsSync(path.join(blog, "node_modules/tsx"))).toBe(false);
    expect(fs.existsSync(path.join(pkg, "dist/scripts/cli.js"))).toBe(true);
    expect(fs.existsSync(path.join(pkg, "dist/plugins/checks/crawl-in-page.js"))).toBe(true);
    expect(fs.existsSync(path.join(pkg, "layouts/post.njk"))).toBe(true);
    // every Python file of the runners ships (the worker is split into several)
    const runners = path.join(projectRoot, "plugins/snippets/runners");
    const python = fs.readdirSync(runners, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".py") && !/(^|\/)(tests?\/|test_)/.test(f));
    expect(python.length).toBeGreaterThan(0);
    for (const file of python) expect(fs.existsSync(path.join(pkg, "dist/plugins/snippets/runners", file)), file).toBe(true);
    // no TypeScript source is loaded at run time
    const shipped = fs.readdirSync(pkg, { recursive: true, encoding: "utf8" }).filter((f) => !f.startsWith("node_modules"));
    expect(shipped.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("`npx verinotes build` in a Hexo blog's folder builds it into ./_site, caches in ./.cache", async () => {
    const r = await command("npx", ["--no-install", "verinotes", "build"], blog);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/Built 2 notes, 0 pages, \d+ files written; snippets: \d+ passed/);
    const out = path.join(blog, "_site");
    const page = fs.readFileSync(path.join(out, "2024/03/05/package-check/index.html"), "utf8");
    expect(page).toContain("<h1");
    expect(page).toContain("Package check");
    // its block was run by the packaged worker, and passed
    expect(page).toMatch(/class="snippet__badge snippet__badge--ok" data-status="passed"/);
    expect(fs.existsSync(path.join(out, "2024/03/05/package-check/snippets/snippets.zip"))).toBe(true);
    expect(fs.existsSync(path.join(out, "2022/06/03/seed-note/index.html"))).toBe(true);
    expect(fs.existsSync(path.join(out, "pagefind/pagefind-entry.json"))).toBe(true);
    expect(fs.existsSync(path.join(out, "assets/site.css"))).toBe(true);
    expect(fs.existsSync(path.join(out, "assets/katex/katex.min.css"))).toBe(true);
    for (const cache of ["render", "snippets", "search"]) expect(fs.existsSync(path.join(blog, ".cache", cache)), cache).toBe(true);

    // the other commands, from the same folder
    const check = await command("npx", ["--no-install", "verinotes", "check"], blog);
    expect(check.status, check.out).toBe(0);
    const verify = await command("npx", ["--no-install", "verinotes", "verify"], blog);
    expect(verify.status, verify.out).toBe(0);
    expect(verify.out).toContain("no session run"); // the build's cache, in the blog's folder
  }, 240_000);

  it("a plain eleventy.config.js adds the plugins: `npx @11ty/eleventy` builds the notes beside the site's own pages", async () => {
    const r = await command("npx", ["--no-install", "@11ty/eleventy"], site);
    expect(r.status, r.out).toBe(0);
    const out = path.join(site, "_site");
    const page = fs.readFileSync(path.join(out, "2024/03/05/package-check/index.html"), "utf8");
    expect(page).toMatch(/class="snippet__badge snippet__badge--ok" data-status="passed"/);
    expect(fs.existsSync(path.join(out, "2024/03/05/package-check/snippets/snippets.zip"))).toBe(true);
    expect(fs.existsSync(path.join(out, "pagefind/pagefind-entry.json"))).toBe(true);
    expect(fs.existsSync(path.join(out, "assets/site.css"))).toBe(true);
    expect(fs.readFileSync(path.join(out, "about/index.html"), "utf8")).toContain("The site's own page.");
    // the notes are the plugin's pages only: Eleventy does not render the notes folder a second time
    expect(fs.existsSync(path.join(out, "notes"))).toBe(false);
  }, 240_000);
});
