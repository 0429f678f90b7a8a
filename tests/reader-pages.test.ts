// Real builds of small blogs for what the reader sees that depends on the blog: labels in its language (zh-TW here,
// zh-CN and en elsewhere) with a note's `lang:` winning on its own page, "updated" from the blog's git history with
// front matter winning, and the licence line from the config or the note.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runScript, tempDir, writeTree } from "./helpers/cli.ts";
import { messages } from "../plugins/hexo/i18n.ts";

const note = (front: string, body = "## 背景\n\n正文。\n\n### 小节\n\n更多。\n\n## 方法\n\n完。\n") => `---\n${front}\n---\n\n${body}`;

function build(blog: string): string {
  const out = path.join(path.dirname(blog), "site");
  const result = runScript("build", ["--hexo", blog, "--output", out], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
  expect(result.status, result.stderr).toBe(0);
  return out;
}

const read = (site: string, rel: string) => fs.readFileSync(path.join(site, rel, "index.html"), "utf8");

describe("labels follow the site's language, and a note's lang: on its own page", () => {
  const blog = path.join(tempDir("reader-labels"), "blog");
  writeTree(blog, {
    "_config.yml": "title: 筆記\nsubtitle: 副標題\nlanguage: zh-TW\ntimezone: Asia/Taipei\nlicense: by-sa\n",
    "source/_posts/a.md": note("title: 中文筆記\ndate: 2024-01-02 10:00:00\ntags: [乙, 甲, Alpha]"),
    "source/_posts/b.md": note("title: English note\ndate: 2024-02-03 10:00:00\nlang: en\ncopyright: false", "## One\n\nText.\n\n## Two\n\nMore.\n"),
  });
  const site = build(blog);
  const zhTW = messages["zh-TW"];
  const en = messages.en;

  it("zh-TW pages carry the zh-TW messages", () => {
    const home = read(site, "");
    expect(home).toContain('<html lang="zh-TW">');
    for (const label of [zhTW.home, zhTW.archives, zhTW.categories, zhTW.tags, zhTW.backToTop]) expect(home).toContain(`>${label}<`);
    expect(home).toContain("副標題");
    const post = read(site, "2024/01/02/a");
    expect(post).toContain(`<summary>${zhTW.toc}</summary>`);
    expect(post).toContain(`<span class="toc-number">1.1</span>`);
    expect(post).toContain(`${zhTW.nextPost} →</span>`);
    expect(post).toMatch(/rel="license">CC BY-SA 4\.0<\/a>/);
  });

  it("a note with lang: en gets English labels and no licence line when it says copyright: false", () => {
    const post = read(site, "2024/02/03/b");
    expect(post).toContain('<html lang="en">');
    expect(post).toContain(`<summary>${en.toc}</summary>`);
    expect(post).toContain(`${en.prevPost}</span>`);
    expect(post).not.toContain('class="post-license"');
  });

  it("tags are listed by name in the site's collation, with counts", () => {
    const tags = read(site, "tags");
    const names = [...tags.matchAll(/<li><a href="[^"]+">#([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(names).toEqual(["Alpha", "乙", "甲"].sort(new Intl.Collator("zh-TW", { numeric: true }).compare));
  });
});

describe("updated: from git when the blog is a checkout, front matter first, never the file's mtime", () => {
  const root = tempDir("reader-updated");
  const blog = path.join(root, "blog");
  writeTree(blog, {
    "_config.yml": "title: T\nlanguage: en\ntimezone: UTC\n",
    "source/_posts/committed.md": note("title: Committed\ndate: 2020-01-01 00:00:00"),
    "source/_posts/written.md": note("title: Written\ndate: 2020-01-01 00:00:00\nupdated: 2021-06-07 00:00:00"),
    "source/_posts/new.md": note("title: New\ndate: 2020-01-01 00:00:00"),
  });
  const env = { ...process.env, GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@b", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@b" };
  const git = (args: string[], date: string) => execFileSync("git", ["-C", blog, ...args], { env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
  git(["init", "-q"], "2023-03-04T05:00:00Z");
  git(["add", "_config.yml", "source/_posts/committed.md", "source/_posts/written.md"], "2023-03-04T05:00:00Z");
  git(["commit", "-q", "-m", "notes"], "2023-03-04T05:00:00Z");
  // An mtime in the future: were it used, every note would show it.
  for (const f of ["committed", "written", "new"]) fs.utimesSync(path.join(blog, `source/_posts/${f}.md`), new Date("2030-01-01"), new Date("2030-01-01"));
  const site = build(blog);
  const updated = (slug: string) => /class="post-updated">[^<]*<time datetime="([^"]+)">([^<]+)</.exec(read(site, `2020/01/01/${slug}`))?.[2];

  it("shows the last commit's date for a committed note", () => expect(updated("committed")).toBe("2023-03-04"));
  it("keeps the front matter's updated: over git", () => expect(updated("written")).toBe("2021-06-07"));
  it("shows none for a note git does not know yet", () => expect(updated("new")).toBeUndefined());
});
