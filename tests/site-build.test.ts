// The sample site in content/ built with the real CLI and Eleventy: every feature lands on a page.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listFiles, projectRoot, runScript, tempDir, treeDigest } from "./helpers/cli.ts";

const contentDir = path.join(projectRoot, "content");
const out = tempDir("content");
const caches = tempDir("content-caches");
let build: ReturnType<typeof runScript>;
let digestBefore: string;
const read = (rel: string) => fs.readFileSync(path.join(out, rel), "utf8");

beforeAll(() => {
  digestBefore = treeDigest(contentDir);
  // Empty caches: this build renders, verifies and indexes everything.
  build = runScript("build", ["--hexo", contentDir, "--output", out], { VERINOTES_CACHE_DIR: caches });
});

describe("npm run build on content/", () => {
  it("exits 0 and prints a summary line with notes, pages, warnings and time", () => {
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/Built 7 notes, 1 pages, \d+ files written; snippets: \d+ passed, .*\(\d+ sessions run\); 0 errors, \d+ warnings in \d+\.\d+s/);
    expect(build.stdout).toMatch(/Search: indexed 8 pages/);
  });

  it("runs no session and reuses the search index the second time: build again, then verify, with the caches kept", () => {
    const again = runScript("build", ["--hexo", contentDir, "--output", out], { VERINOTES_CACHE_DIR: caches });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/snippets: \d+ passed, .*\(no session run\)/);
    expect(again.stdout).toMatch(/Search: unchanged, index reused: 8 pages/);
    const verify = runScript("verify", ["--hexo", contentDir], { VERINOTES_CACHE_DIR: caches });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/cache: \d+ hits, \d+ misses; no session run/);
  }, 120_000);

  it("warns about the unknown theme tag with its file and line, and keeps its text", () => {
    expect(build.stderr).toMatch(/_posts\/shell-basics\.md:\d+: warning: .*note/);
    expect(read("2021/11/20/shell-basics/index.html")).toContain("Verinotes 不认识它");
  });

  it("never modifies the notes", () => {
    expect(treeDigest(contentDir)).toBe(digestBefore);
  });

  it("writes posts at Hexo URLs with raw UTF-8 folder names and percent-encoded hrefs", () => {
    const html = read("2022/06/03/argparse-入门/index.html");
    expect(html).toContain('<html lang="zh-CN">');
    expect(read("index.html")).toContain('href="/2022/06/03/argparse-%E5%85%A5%E9%97%A8/"');
  });

  it("reads every front-matter form: no opening line, JSON, CRLF, BOM, tabs", () => {
    expect(read("2021/11/20/shell-basics/index.html")).toContain("Shell 常用命令速查");
    expect(read("2021/11/20/shell-basics/index.html")).toContain('href="/tags/bash/"');
    expect(read("2020/02/02/json-front-matter/index.html")).toContain("JSON front matter and other Hexo forms");
    expect(read("2019/05/01/crlf-note/index.html")).toContain("Windows line endings");
    expect(read("2020/08/08/bom-note/index.html")).toContain("带 BOM 的笔记");
  });

  it("shows the sticky note first on the home page and splits excerpts at <!-- more -->", () => {
    const home = read("index.html");
    const first = home.indexOf("Reading and writing files in Python");
    const other = home.indexOf("注意力机制笔记");
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(other);
    expect(home).toContain("缩放点积注意力");
    expect(home).not.toContain("softmax}\\left");
    expect(read("2023/03/18/attention/index.html")).toContain('<span id="more"></span>');
  });

  it("paginates the home page by per_page and writes archives, categories and tags", () => {
    expect(read("page/2/index.html")).toContain('rel="prev" href="/"');
    for (const page of ["archives/index.html", "archives/2022/index.html", "archives/2022/06/index.html", "categories/index.html", "tags/index.html", "categories/Python/标准库/index.html", "categories/deep-learning/注意力机制/index.html", "tags/python/index.html"]) {
      expect(fs.existsSync(path.join(out, page)), page).toBe(true);
    }
  });

  it("resolves post_link and keeps #anchors that match heading ids", () => {
    const json = read("2020/02/02/json-front-matter/index.html");
    expect(json).toContain('href="/2022/06/03/argparse-%E5%85%A5%E9%97%A8/"');
    expect(json).toContain('href="/2022/06/10/file-io-notes/#Opening-a-file"');
    expect(read("2022/06/10/file-io-notes/index.html")).toContain('id="Opening-a-file"');
    expect(read("2022/06/03/argparse-入门/index.html")).toContain('id="2-常用参数类型"');
  });

  it("renders math, tables, footnotes, task lists and code at build time", () => {
    const attention = read("2023/03/18/attention/index.html");
    expect(attention).toContain('class="katex');
    expect(attention).toContain("assets/katex/katex.min.css");
    expect(read("2022/06/03/argparse-入门/index.html")).toContain("<table");
    const io = read("2022/06/10/file-io-notes/index.html");
    expect(io).toMatch(/footnote/);
    expect(io).toMatch(/type="checkbox"[^>]*checked/);
    expect(io).toMatch(/<span class="hljs-/);
    expect(io).not.toMatch(/<script[^>]+highlight/);
  });

  it("copies the post asset image next to the post and links it there", () => {
    expect(fs.existsSync(path.join(out, "2023/03/18/attention/heads.svg"))).toBe(true);
    expect(read("2023/03/18/attention/index.html")).toContain('src="/2023/03/18/attention/heads.svg"');
  });

  it("shows {{ }} and JSX braces verbatim instead of evaluating them", () => {
    const html = read("2021/11/20/shell-basics/index.html");
    expect(html).toContain("{{ message }}");
    expect(html).toContain("style={{color: &quot;red&quot;}}");
  });

  it("leaves drafts out and writes 404, feed, sitemap and robots.txt", () => {
    expect(listFiles(out).some((f) => f.includes("unfinished-idea"))).toBe(false);
    expect(read("404.html")).toContain("页面不存在");
    expect(read("atom.xml")).toContain("<entry>");
    expect(read("sitemap.xml")).toContain("<loc>https://notes.example.org/2022/06/03/argparse-%E5%85%A5%E9%97%A8/</loc>");
    expect(read("robots.txt")).toContain("Sitemap: https://notes.example.org/sitemap.xml");
  });

  it("requests nothing from another host: styles, scripts and fonts are local", () => {
    for (const file of listFiles(out).filter((f) => f.endsWith(".html"))) {
      const html = read(file);
      for (const m of html.matchAll(/<(?:link|script|img)\b[^>]*?(?:href|src)="([^"]+)"/g)) {
        if (m[0].startsWith("<link") && /rel="(canonical|alternate)"/.test(m[0])) continue;
        expect(m[1], `${file}: ${m[0]}`).not.toMatch(/^(https?:)?\/\//);
      }
    }
  });

  it("shows each code block's name, a badge in the page's language, download link and copy button, and a summary per note", () => {
    const html = read("2022/06/03/argparse-入门/index.html");
    expect(html).toMatch(/<figure class="snippet snippet--file" id="snippet-1"[^>]*>.*?<span class="snippet__name">prog\.py<\/span>.*?snippet__badge--neutral" data-status="file">文件<.*?<a class="snippet__download" href="snippets\/prog\.py" download="prog\.py">下载<\/a>.*?<button type="button" class="snippet__copy" data-copy/s);
    expect(html).toMatch(/snippet__badge--ok" data-status="passed">✓ 运行结果一致</);
    // the author's messages are in the report, not on the page (§8)
    expect(html).not.toContain("outputs matched");
    // the note's line: neutral, with its zip and its row of the report
    const line = /<p class="snippets-summary snippets-summary--neutral">4 个代码块 · <a href="snippets\/snippets\.zip" download>全部下载（zip）<\/a> · <a href="\.\.\/\.\.\/\.\.\/\.\.\/snippets\/#(note-[0-9a-f]+)">验证报告<\/a><\/p>/.exec(html);
    expect(line, html.match(/<p class="snippets-summary[^]*?<\/p>/)?.[0]).not.toBeNull();
    const report = read("snippets/index.html");
    expect(report).toContain("argparse 入门：命令行参数解析");
    expect(report).toContain(`<tr id="${line![1]}">`);
  });

  it("writes every source block to a snippet file whose bytes are the block's code", () => {
    let compared = 0;
    for (const [note, page] of [["argparse-入门", "2022/06/03/argparse-入门"], ["file-io-notes", "2022/06/10/file-io-notes"], ["attention", "2023/03/18/attention"]]) {
      const source = fs.readFileSync(path.join(contentDir, "source/_posts", `${note}.md`), "utf8");
      const fences = [...source.matchAll(/^```[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
      const manifest = JSON.parse(read(`${page}/snippets/index.json`)) as { snippets: { ordinal: number; name: string; kind: string }[] };
      for (const entry of manifest.snippets.filter((e) => e.kind === "source")) {
        expect(read(`${page}/snippets/${entry.name}`), `${page} ${entry.name}`).toBe(fences[entry.ordinal - 1]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });
});
