// The plugins compose in any order: an Eleventy site that adds the snippets plugin before the notes plugin gets
// the same verified page as one that adds it after; the snippets plugin without a notes plugin fails the build
// instead of leaving the code unverified. Real Eleventy builds, real verification in the sandbox.
import fs from "node:fs";
import path from "node:path";
import type UserConfig from "@11ty/eleventy/UserConfig";
import { beforeAll, describe, expect, it } from "vitest";
import hexoNotes from "../plugins/hexo/index.ts";
import verifiedSnippets from "../plugins/snippets/eleventy.ts";
import { tempDir, writeTree } from "./helpers/cli.ts";
import { eleventyWith } from "./helpers/eleventy.ts";

const dir = tempDir("plugin-order");
const notes = path.join(dir, "notes");
const page = "2024/01/02/sums/index.html";

/** Builds the notes with Eleventy, the plugins added by `addPlugins`; resolves with the output folder. */
async function build(name: string, addPlugins: (config: UserConfig, caches: string) => void): Promise<string> {
  const out = path.join(dir, name);
  const caches = path.join(dir, `${name}-cache`);
  const eleventy = eleventyWith(dir, out, (config) => addPlugins(config, caches));
  await eleventy.write();
  return out;
}

const notesPlugin = (config: UserConfig, caches: string) =>
  config.addPlugin(hexoNotes, { input: notes, cacheDir: path.join(caches, "render"), now: new Date("2025-01-01T00:00:00Z") });
const snippetsPlugin = (config: UserConfig, caches: string) =>
  config.addPlugin(verifiedSnippets, { cacheDir: path.join(caches, "snippets") });

describe("the notes and snippets plugins, added in either order", () => {
  let after: string;
  let before: string;
  beforeAll(async () => {
    writeTree(notes, {
      "sums.md": "---\ntitle: Sums\ndate: 2024-01-02 10:00:00\n---\n\n```python\nprint(sum([1, 2, 3]))\n```\n\n```text\n6\n```\n",
    });
    after = await build("snippets-after", (config, caches) => {
      notesPlugin(config, caches);
      snippetsPlugin(config, caches);
    });
    before = await build("snippets-before", (config, caches) => {
      snippetsPlugin(config, caches);
      notesPlugin(config, caches);
    });
  }, 180_000);

  it("verifies the block when the snippets plugin comes after the notes plugin", () => {
    const html = fs.readFileSync(path.join(after, page), "utf8");
    expect(html).toContain('data-status="passed"');
    expect(fs.existsSync(path.join(after, "snippets/index.html"))).toBe(true);
  });

  it("gives the same page, files and report when it comes before", () => {
    const files = (root: string) => fs.readdirSync(root, { recursive: true }).map(String).filter((f) => f.includes("snippets")).sort();
    expect(fs.readFileSync(path.join(before, page), "utf8")).toBe(fs.readFileSync(path.join(after, page), "utf8"));
    expect(files(before)).toEqual(files(after));
    expect(fs.readFileSync(path.join(before, "snippets/index.html"), "utf8")).toBe(fs.readFileSync(path.join(after, "snippets/index.html"), "utf8"));
  });

  it("fails the build when no notes plugin takes the snippets plugin", async () => {
    await expect(build("snippets-alone", snippetsPlugin)).rejects.toThrow(/snippets.*notes plugin/);
  }, 60_000);
});
