// `npm run verify` and `npm run build` see one set of notes and share one cache (snippets-spec.md §8): a standalone
// page is verified, a note in a `_` folder the site ignores is not, and a verify right after a build runs no session.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../plugins/snippets/types.ts";
import { runScript, tempDir, writeTree } from "./helpers/cli.ts";

const F = "```";

describe("one set of notes, one cache", () => {
  const dir = tempDir("one-set");
  const blog = path.join(dir, "blog");
  const cache = path.join(dir, "cache");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  writeTree(blog, {
    "_config.yml": "title: t\nlanguage: en\n",
    "source/_posts/a.md": ["---", "title: a", "date: 2024-01-01", "---", "", `${F}python`, "print(1 + 1)", F, "", "Output:", "", F, "2", F, ""].join("\n"),
    // a standalone page: the site builds it, so verify checks it (its claim is wrong)
    "source/about/index.md": ["---", "title: about", "---", "", `${F}python`, "print(2 + 2)", F, "", "Output:", "", F, "5", F, ""].join("\n"),
    // under a `_` folder: the site ignores it, so verify does too (its claim is wrong as well)
    "source/_posts/_wip/draft-idea.md": ["---", "title: wip", "---", "", `${F}python`, "print(3)", F, "", "Output:", "", F, "4", F, ""].join("\n"),
    // not published: not on the site, not verified
    "source/_posts/hidden.md": ["---", "title: hidden", "published: false", "---", "", `${F}python`, "print(3)", F, "", "Output:", "", F, "4", F, ""].join("\n"),
  });

  it("verifies the notes the site renders, standalone pages included, and nothing it ignores", () => {
    const json = path.join(dir, "report.json");
    const r = runScript("verify", ["--hexo", blog, "--cache-dir", cache, "--json", json, "--quiet"]);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const report = JSON.parse(fs.readFileSync(json, "utf8")) as Report;
    expect([...new Set(report.snippets.map((s) => s.source))].sort()).toEqual(["_posts/a.md", "about/index.md"]);
    expect(report.snippets.filter((s) => s.status === "failed").map((s) => s.source)).toEqual(["about/index.md"]);
  }, 120_000);

  it("runs no session in a verify right after a build, nor in a build right after a verify", () => {
    const cacheA = path.join(dir, "cache-a");
    const build = runScript("build", ["--hexo", blog, "--output", path.join(dir, "site-a")], { VERINOTES_CACHE_DIR: cacheA });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toMatch(/\(\d+ sessions? run\)/);
    const verify = runScript("verify", ["--hexo", blog, "--cache-dir", path.join(cacheA, "snippets")]);
    expect(verify.stdout).toContain("no session run");

    const cacheB = path.join(dir, "cache-b");
    const first = runScript("verify", ["--hexo", blog, "--cache-dir", path.join(cacheB, "snippets")]);
    expect(first.stdout).toMatch(/\d+ sessions? run/);
    const after = runScript("build", ["--hexo", blog, "--output", path.join(dir, "site-b")], { VERINOTES_CACHE_DIR: cacheB });
    expect(after.status, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toContain("(no session run)");
  }, 240_000);
});
