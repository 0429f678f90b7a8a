// The static link checker (plugins/checks) on small hand-made sites written to temp folders, the external
// checker against a server on 127.0.0.1, the static server the crawl uses, the CLI, and a real build of
// generated notes with planted broken links that must be found exactly. No browser here.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript, sharedDir, tempDir, writeTree } from "./helpers/cli.ts";
import { heldServer } from "./helpers/held-server.ts";
import { checkSite, type BrokenLink, type CheckReport } from "../plugins/checks/check.ts";
import { extractPage, extractPageWithParser, parseSrcset, extractXml } from "../plugins/checks/html.ts";
import { checkExternal } from "../plugins/checks/external.ts";
import { serveStatic } from "../plugins/checks/serve.ts";
import { downloadMatches } from "../plugins/checks/crawl.ts";

const page = (body: string, head = "") =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

/** `page → sorted list of "href | reason-start"` for compact assertions. */
const brokenOf = (report: CheckReport) => report.broken.map((b) => `${b.page} ${b.href}`).sort();

describe("links and fragments on a hand-made site", () => {
  const dir = tempDir("check-basic");
  let report: CheckReport;
  beforeAll(async () => {
    writeTree(dir, {
      "index.html": page(`
        <a href="/about/">about</a> <a href="about/">relative</a> <a href="/about">no slash</a>
        <a href="/missing/">missing</a> <a href="notes.txt">file</a> <a href="/assets/missing.css">x</a>
        <a href="mailto:me@example.org">mail</a> <a href="javascript:void(0)">js</a> <a href="tel:123">tel</a>
        <a href="https://other.example.org/x">external</a> <a href="">self</a> <a href="#">top</a> <a href="#top">top</a>
        <img src="/img/a.png" srcset="/img/a.png 1x, /img/missing@2x.png 2x">
        <picture><source srcset="/img/b.webp 480w, /img/gone.webp 800w"><img src="/img/a.png"></picture>
        <script src="/assets/site.js"></script> <iframe src="/embed/"></iframe>`,
        `<link rel="stylesheet" href="/assets/site.css"><link rel="icon" href="/favicon.svg"><link rel="preconnect" href="/nowhere/">`),
      "notes.txt": "plain",
      "about/index.html": page(`<h2 id="who">Who</h2><a name="legacy"></a><span name="not-an-anchor"></span>
        <a href="#who">ok</a> <a href="#nobody">broken</a> <a href="#legacy">name</a> <a href="#not-an-anchor">span name</a>
        <a href="../index.html">up</a> <a href="/about/#who">ok abs</a> <a href="/about/?x=1#who">query</a>`),
      "assets/site.css": "body{}",
      "assets/site.js": "",
      "favicon.svg": "<svg/>",
      "img/a.png": "png",
      "img/b.webp": "webp",
      "embed/index.html": page("embed"),
    });
    report = await checkSite(dir);
  });

  it("reports exactly the broken ones", () => {
    expect(brokenOf(report)).toEqual([
      "about/index.html #nobody",
      "about/index.html #not-an-anchor",
      "index.html /assets/missing.css",
      "index.html /img/gone.webp",
      "index.html /img/missing@2x.png",
      "index.html /missing/",
    ]);
  });

  it("says why", () => {
    const why = Object.fromEntries(report.broken.map((b) => [b.href, b.reason]));
    expect(why["/missing/"]).toBe("no such page: /missing/ (looked for missing/index.html)");
    expect(why["#nobody"]).toBe('no element with id or name "nobody" on about/index.html');
  });

  it("does not check other sites unless asked, but counts them", () => {
    expect(report.stats.externalLinks).toBe(1);
    expect(report.stats.externalChecked).toBe(false);
  });

  it("names the page only when the build left no sources file", () => {
    expect(report.sourcesFound).toBe(false);
    expect(report.broken.every((b) => b.source === null && b.line === null)).toBe(true);
  });
});

describe("Chinese paths and anchors, raw or percent-encoded", () => {
  const dir = tempDir("check-cjk");
  const post = "2022/06/03/Pytorch中知识点02/index.html";
  const enc = "/2022/06/03/Pytorch%E4%B8%AD%E7%9F%A5%E8%AF%86%E7%82%B902/";
  const anchor = "1-数据集的用法";
  const encAnchor = encodeURIComponent(anchor);
  let report: CheckReport;
  beforeAll(async () => {
    writeTree(dir, {
      [post]: page(`<h2 id="${anchor}">1. 数据集的用法</h2><h2 id="A&amp;B">amp</h2>
        <a href="#${anchor}">raw</a> <a href="#${encAnchor}">encoded</a> <a href="#A&amp;B">entity</a>
        <a href="#2-缺失">missing raw</a> <a href="#${encodeURIComponent("3-缺失")}">missing encoded</a>`),
      "index.html": page(`
        <a href="${enc}">encoded page</a> <a href="/2022/06/03/Pytorch中知识点02/">raw page</a>
        <a href="${enc}#${encAnchor}">encoded both</a> <a href="/2022/06/03/Pytorch中知识点02/#${anchor}">raw both</a>
        <a href="${enc}#${anchor}">mixed</a> <a href="${enc.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}">lower-case escapes</a>
        <a href="${enc}#4-%E7%BC%BA%E5%A4%B1">missing across pages</a> <a href="/2022/06/03/Pytorch中知识点03/">missing page</a>
        <a href="/%E0%A4%A/">malformed</a>`),
    });
    report = await checkSite(dir);
  });

  it("finds folders with raw UTF-8 names from encoded and raw hrefs, anchors in both forms", () => {
    expect(brokenOf(report)).toEqual(
      [
        `${post} #${encodeURIComponent("3-缺失")}`,
        `${post} #2-缺失`,
        `index.html /%E0%A4%A/`,
        `index.html /2022/06/03/Pytorch中知识点03/`,
        `index.html ${enc}#4-%E7%BC%BA%E5%A4%B1`,
      ].sort(),
    );
  });

  it("shows fragments decoded in reasons", () => {
    const b = report.broken.find((x) => x.href.endsWith("#4-%E7%BC%BA%E5%A4%B1"))!;
    expect(b.reason).toBe(`no element with id or name "4-缺失" on ${post}`);
    expect(report.broken.find((x) => x.href === "/%E0%A4%A/")!.reason).toMatch(/malformed percent-encoding/);
  });
});

describe("feeds, sitemaps and the site's root path", () => {
  const sitemap = (urls: string[]) =>
    `<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls
      .map((u) => `<url><loc>${u}</loc></url>`)
      .join("")}</urlset>`;
  const atom = (links: string[]) =>
    `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>${links
      .map((l) => `<entry><link href="${l}"/></entry>`)
      .join("")}</feed>`;

  it("checks sitemap <loc>s and feed links, absolute on the site's URL, below a root path found in the sitemap", async () => {
    const dir = tempDir("check-root");
    writeTree(dir, {
      "index.html": page(`<a href="/blog/a/">in root</a> <a href="/a/">outside root</a> <a href="/blog">root without slash</a>
        <a href="https://me.example.org/blog/a/#x">absolute own</a> <a href="https://me.example.org/other-project/">same host, other site</a>
        <a href="http://me.example.org/blog/gone/">own, http</a>`),
      "a/index.html": page(`<h2 id="x">x</h2>`),
      "sitemap.xml": sitemap(["https://me.example.org/blog/", "https://me.example.org/blog/a/", "https://me.example.org/blog/stale/"]),
      "atom.xml": atom(["https://me.example.org/blog/a/", "https://me.example.org/blog/a/#nope", "/blog/gone-too/"]),
    });
    const report = await checkSite(dir);
    expect(report.location).toEqual({ origin: "https://me.example.org", root: "/blog/" });
    expect(brokenOf(report)).toEqual([
      "atom.xml /blog/gone-too/",
      "atom.xml https://me.example.org/blog/a/#nope",
      "index.html /a/",
      "index.html http://me.example.org/blog/gone/",
      "sitemap.xml https://me.example.org/blog/stale/",
    ]);
    expect(report.broken.find((b) => b.href === "/a/")!.reason).toBe("outside the site's root path /blog/");
    expect(report.stats.externalLinks).toBe(1); // the other project on the same host
    expect(report.stats.xmlFiles).toBe(2);
  });

  it("finds the root from <link rel=canonical> when there is no sitemap, and obeys an explicit root", async () => {
    const dir = tempDir("check-canonical");
    writeTree(dir, {
      "index.html": page(`<a href="/notes/x/">x</a> <a href="/x/">outside</a>`, `<link rel="canonical" href="https://h.example/notes/">`),
      "x/index.html": page("x", `<link rel="canonical" href="https://h.example/notes/x/">`),
    });
    const found = await checkSite(dir);
    expect(found.location).toEqual({ origin: "https://h.example", root: "/notes/" });
    expect(brokenOf(found)).toEqual(["index.html /x/"]);
    // Told the root is "/", the canonical URLs (below /notes/) name no page either.
    const forced = await checkSite(dir, { root: "/" });
    expect(brokenOf(forced)).toEqual(["index.html /notes/x/", "index.html https://h.example/notes/", "x/index.html https://h.example/notes/x/"]);
  });

  it("resolves against <base href>", async () => {
    const dir = tempDir("check-base");
    writeTree(dir, {
      "index.html": page(`<a href="b.html">via base</a> <a href="c.html">missing via base</a>`, `<base href="/sub/">`),
      "sub/b.html": page("b"),
    });
    expect(brokenOf(await checkSite(dir))).toEqual(["index.html c.html"]);
  });
});

describe("where a broken link was written: verinotes-sources.json", () => {
  it("gives the note and the line of each occurrence, and the layout's own links without a line", async () => {
    const dir = tempDir("check-sources");
    writeTree(dir, {
      "2022/01/01/a/index.html": page(`<nav><a href="/gone/">layout</a></nav><p><a href="/gone/">first</a> <a href="/also-gone/">x</a></p>
        <p><a href="/gone/">second</a></p><p><a href="/2022/01/01/a/#nope">anchor</a></p>`),
      "index.html": page(`<p><a href="/also-gone/">excerpt on the home page</a> <a href="/layout-only/">nav</a></p>`),
      "verinotes-sources.json": JSON.stringify({
        pages: {
          "2022/01/01/a/index.html": {
            source: "_posts/a.md",
            links: [
              { href: "/gone/", line: 7 },
              { href: "/also-gone/", line: 7 },
              { href: "/gone/", line: 12 },
              { href: "/2022/01/01/a/#nope", line: 15 },
            ],
          },
        },
      }),
    });
    const report = await checkSite(dir);
    const rows = report.broken.map((b) => [b.page, b.source, b.line, b.href]);
    expect(rows).toEqual([
      ["2022/01/01/a/index.html", "_posts/a.md", 7, "/also-gone/"],
      ["2022/01/01/a/index.html", "_posts/a.md", 7, "/gone/"],
      ["index.html", "_posts/a.md", 7, "/also-gone/"],
      ["2022/01/01/a/index.html", "_posts/a.md", 12, "/gone/"],
      ["2022/01/01/a/index.html", "_posts/a.md", 15, "/2022/01/01/a/#nope"],
      ["2022/01/01/a/index.html", "_posts/a.md", null, "/gone/"],
      ["index.html", null, null, "/layout-only/"],
    ]);
    expect(report.sourcesFound).toBe(true);
  });
});

describe("HTML extraction", () => {
  it("reads attributes as a browser does: entities, upper case, first attribute wins; not inside script, comments or raw text", () => {
    const html = page(`
      <A HREF="/a?x=1&amp;y=2">upper</A> <a href="/b" href="/ignored">dup</a>
      <!-- <a href="/in-comment">x</a> --> <script>document.write('<a href="/in-script">')</script>
      <textarea><a href="/in-textarea"></a></textarea> <style>a[href="/in-style"]{}</style>
      <svg><a href="/in-svg"><title><a href="/svg-title"></title></a><use href="#sym"></use></svg><IMG SRC="/c.png" id=Pic>
      <meta http-equiv="refresh" content="0; url='/moved/'"> <a name="old"></a><p id="">empty id</p>`);
    const facts = extractPage(html);
    expect(facts.links.map((l) => `${l.where} ${l.href}`)).toEqual([
      "a[href] /a?x=1&y=2",
      "a[href] /b",
      "a[href] /in-svg",
      "a[href] /svg-title", // <title> in SVG is not raw text
      "img[src] /c.png",
      "meta[http-equiv=refresh] /moved/",
    ]);
    expect([...facts.anchors].sort()).toEqual(["Pic", "old"]);
    expect(extractPageWithParser(html)).toEqual(facts);
  });

  it("gives the same facts as htmlparser2's Parser on the sample notes' kinds of markup", () => {
    const html = page(`<nav class="toc"><ol><li><a href="#1-一个最小的程序">1</a></li></ol></nav>
      <h2 id="1-一个最小的程序">1 <a class="headerlink" href="#1-一个最小的程序" data-pagefind-ignore>#</a></h2>
      <pre><code class="language-html">&lt;a href="/not-a-link/"&gt;</code></pre>
      <figure><img src="heads.svg" alt="" loading="lazy"><figcaption>x</figcaption></figure>
      <math><mi>x</mi></math><span class="katex"><svg viewBox="0 0 1 1"><path d="M0 0"/></svg></span>
      <iframe src="https://www.youtube.com/embed/x"></iframe><video src="/v.mp4" poster="/p.jpg"></video>`);
    const facts = extractPage(html);
    expect(facts.links.map((l) => l.href)).toEqual(["#1-一个最小的程序", "#1-一个最小的程序", "heads.svg", "https://www.youtube.com/embed/x", "/v.mp4", "/p.jpg"]);
    expect(extractPageWithParser(html)).toEqual(facts);
  });

  it("splits srcset like the HTML spec", () => {
    expect(parseSrcset("a.png 1x, b.png 2x")).toEqual(["a.png", "b.png"]);
    expect(parseSrcset("  a.png 480w,b.png   800w , c.png")).toEqual(["a.png", "b.png", "c.png"]);
    expect(parseSrcset("data:image/png;base64,AAA= 1x, d.png 2x")).toEqual(["data:image/png;base64,AAA=", "d.png"]);
    expect(parseSrcset("e.png,, f.png")).toEqual(["e.png", "f.png"]);
  });

  it("reads feed and sitemap URLs, and nothing from other XML", () => {
    expect(extractXml(`<rss><channel><link>https://x/</link><item><link>https://x/a/</link><enclosure url="https://x/a.mp3"/></item></channel></rss>`).links.map((l) => l.href)).toEqual([
      "https://x/",
      "https://x/a/",
      "https://x/a.mp3",
    ]);
    expect(extractXml(`<search><entry><url>/x/</url></entry></search>`)).toEqual({ kind: "other", links: [] });
  });
});

describe("external links (--external) against a server on 127.0.0.1", () => {
  let server: http.Server;
  let base: string;
  const hits = new Map<string, number>();
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const key = `${req.method} ${req.url}`;
      hits.set(key, (hits.get(key) ?? 0) + 1);
      const n = hits.get(key)!;
      if (req.url === "/ok") res.writeHead(200).end("ok");
      else if (req.url === "/gone") res.writeHead(404).end();
      else if (req.url === "/no-head") res.writeHead(req.method === "HEAD" ? 405 : 200).end();
      else if (req.url === "/flaky") res.writeHead(n === 1 ? 503 : 200).end();
      else if (req.url === "/always-500") res.writeHead(500).end();
      else if (req.url === "/redirect") res.writeHead(301, { location: "/ok" }).end();
      else if (req.url === "/slow") setTimeout(() => res.writeHead(200).end(), 2_000);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("retries, falls back from HEAD to GET, follows redirects, times out, and caches good answers", async () => {
    const cacheFile = path.join(tempDir("ext-cache"), "links.json");
    const urls = ["/ok", "/gone", "/no-head", "/flaky", "/always-500", "/redirect", "/slow", "/ok#frag"].map((p) => base + p);
    const options = { concurrency: 3, timeoutMs: 300, retries: 1, retryDelayMs: 10, cacheFile };
    const first = await checkExternal(urls, options);
    const summary = (r: typeof first) => Object.fromEntries([...r].map(([u, x]) => [u.slice(base.length), x.ok ? "ok" : x.reason]));
    expect(summary(first)).toEqual({
      "/ok": "ok",
      "/gone": "HTTP 404 Not Found",
      "/no-head": "ok",
      "/flaky": "ok",
      "/always-500": "HTTP 500 Internal Server Error",
      "/redirect": "ok",
      "/slow": "no answer within 300 ms",
    });
    expect(hits.get("HEAD /flaky")).toBe(2); // a 503, then the retry
    const okHits = hits.get("HEAD /ok");
    const second = await checkExternal(urls, options);
    expect(hits.get("HEAD /ok")).toBe(okHits); // from the cache file
    expect([...second.values()].filter((r) => r.cached).length).toBe(4);
    expect(summary(second)["/gone"]).toBe("HTTP 404 Not Found"); // failures are asked again
  });

  it("asks at most `concurrency` URLs at once", async () => {
    const held = await heldServer((res) => res.writeHead(200).end());
    try {
      const results = await checkExternal([1, 2, 3, 4, 5, 6, 7].map((n) => `${held.url}/${n}`), { concurrency: 2 });
      expect([...results.values()].every((r) => r.ok)).toBe(true);
      expect(held.most()).toBeLessThanOrEqual(2);
    } finally {
      await held.close();
    }
  });

  it("reports broken external links of a site only with `external`", async () => {
    const dir = tempDir("check-external");
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    writeTree(dir, { "index.html": page(`<a href="${base}/ok">ok</a> <a href="${base}/gone">gone</a> <a href="http://127.0.0.1:${closedPort}/refused">refused</a>`) });
    expect((await checkSite(dir)).broken).toEqual([]);
    const report = await checkSite(dir, { external: { timeoutMs: 2_000, retries: 0 } });
    expect(report.broken.map((b) => `${b.href}: ${b.reason}`).sort()).toEqual(
      [`${base}/gone: HTTP 404 Not Found`, `http://127.0.0.1:${closedPort}/refused: request failed: ECONNREFUSED`].sort(),
    );
  });
});

describe("what the crawl accepts as a snippet download of a block", () => {
  it("the block's text (one final newline aside), a REPL's code, a transcript's commands; nothing else", () => {
    expect(downloadMatches("print(1)\n", "print(1)\n")).toBe(true);
    expect(downloadMatches("print(1)\n", "print(1)")).toBe(true);
    expect(downloadMatches("print(2)\n", "print(1)\n")).toBe(false);
    expect(downloadMatches("", "print(1)\n")).toBe(false);
    expect(downloadMatches("xs = [1, 2]\nsum(xs)\n", ">>> xs = [1, 2]\n>>> sum(xs)\n3\n")).toBe(true);
    expect(downloadMatches("for i in x:\n    pass\n", ">>> for i in x:\n...     pass\n...\n")).toBe(true);
    // tom89757's Pytorch中知识点02, block 11: a blank continuation and a comment at a prompt are not in the file
    expect(
      downloadMatches(
        `with open('workfile', encoding="utf-8") as f:\n    read_data = f.read()\nf.closed\n`,
        `>>> with open('workfile', encoding="utf-8") as f:\n...     read_data = f.read()\n\n>>> # We can check that the file has been automatically closed.\n>>> f.closed\nTrue\n`,
      ),
    ).toBe(true);
    expect(downloadMatches("print(1)\n# note\n", "print(1)\n")).toBe(false); // plain blocks are compared exactly
    expect(downloadMatches("xs = [1, 2]\n", ">>> xs = [1, 2]\n>>> sum(xs)\n3\n")).toBe(false);
    expect(downloadMatches("echo 1 2\nexpr 1 + 2\n", "$ echo 1 2\n1 2\n$ expr 1 + 2\n3\n")).toBe(true);
    expect(downloadMatches("echo 1 2\n", "$ echo 1 2\n1 2\n$ expr 1 + 2\n3\n")).toBe(false);
  });
});

describe("the static server the crawl uses", () => {
  it("serves raw UTF-8 folders for percent-encoded URLs, redirects folders to their slash, answers misses with 404.html", async () => {
    const dir = tempDir("serve");
    writeTree(dir, {
      "index.html": "home",
      "404.html": "<p>not here</p>",
      "2022/06/03/Pytorch中知识点02/index.html": "pytorch",
      "a b/c.py": "print(1)\n",
    });
    const server = await serveStatic(dir, { root: "/" });
    try {
      const get = (p: string) => fetch(server.url + p, { redirect: "manual" });
      const post = await get("2022/06/03/Pytorch%E4%B8%AD%E7%9F%A5%E8%AF%86%E7%82%B902/");
      expect([post.status, await post.text()]).toEqual([200, "pytorch"]);
      const py = await get("a%20b/c.py");
      expect([py.status, py.headers.get("content-type"), await py.text()]).toEqual([200, "text/plain; charset=utf-8", "print(1)\n"]);
      const folder = await get("2022/06/03");
      expect([folder.status, folder.headers.get("location")]).toEqual([301, "/2022/06/03/"]);
      const miss = await get("nope/");
      expect([miss.status, await miss.text()]).toEqual([404, "<p>not here</p>"]);
      expect((await get("../../etc/passwd")).status).toBe(404);
      expect((await get("%E0%A4%A")).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it("serves names URL syntax would split (#, ?, %), types note code as UTF-8 text, answers HEAD, and keeps serving when a file cannot be read", async () => {
    const dir = tempDir("serve-names");
    writeTree(dir, {
      "tags/C#/index.html": "c sharp",
      "tags/why?/index.html": "why",
      "tags/100%/index.html": "percent",
      "tags/a%41/index.html": "literal",
      "s/01.ts": "let x: number = 1;\n",
      "s/02.sh": "echo 1\n",
      "assets/site.css": "p{}",
      "feed/atom.xml": "<feed/>",
      "x.bin": "?",
    });
    // A file that is there when looked up but fails when read (EIO): the read stream's error must not end the server.
    fs.symlinkSync("/proc/self/mem", path.join(dir, "unreadable.txt"));
    const server = await serveStatic(dir);
    try {
      const get = (p: string, method = "GET") => fetch(server.url + p, { method, redirect: "manual" });
      const text = async (p: string) => {
        const r = await get(p);
        return [r.status, await r.text()];
      };
      expect(await text("tags/C%23/")).toEqual([200, "c sharp"]);
      expect(await text("tags/why%3F/")).toEqual([200, "why"]);
      expect(await text("tags/100%25/")).toEqual([200, "percent"]);
      expect(await text("tags/a%2541/")).toEqual([200, "literal"]);
      const type = async (p: string) => (await get(p)).headers.get("content-type");
      expect(await type("s/01.ts")).toBe("text/plain; charset=utf-8");
      expect(await type("s/02.sh")).toBe("text/plain; charset=utf-8");
      expect(await type("assets/site.css")).toBe("text/css; charset=utf-8");
      expect(await type("feed/atom.xml")).toBe("text/xml; charset=utf-8");
      expect(await type("x.bin")).toBe("application/octet-stream");
      expect((await get("assets/site.css")).headers.get("cache-control")).toBe("public, max-age=600");
      expect((await get("tags/C%23/")).headers.get("cache-control")).toBe("no-cache");
      const head = await get("s/02.sh", "HEAD");
      expect([head.status, head.headers.get("content-length"), await head.text()]).toEqual([200, "7", ""]);
      await get("unreadable.txt").then((r) => r.text()).catch(() => "the connection was cut");
      expect(await text("tags/C%23/")).toEqual([200, "c sharp"]);
    } finally {
      await server.close();
    }
  });

  it("compresses text with gzip when asked to, as static hosts do", async () => {
    const dir = tempDir("serve-gzip");
    const html = `<p>${"重复的文字 ".repeat(400)}</p>`;
    writeTree(dir, { "index.html": html, "pic.png": Buffer.from([137, 80, 78, 71]) });
    const server = await serveStatic(dir, { gzip: true });
    try {
      const raw = (p: string) =>
        new Promise<{ headers: http.IncomingHttpHeaders; bytes: number }>((resolve, reject) => {
          http.get(server.url + p, { headers: { "accept-encoding": "gzip" } }, (res) => {
            let bytes = 0;
            res.on("data", (c: Buffer) => (bytes += c.length)).on("end", () => resolve({ headers: res.headers, bytes }));
          }).on("error", reject);
        });
      const page = await raw("");
      expect(page.headers["content-encoding"]).toBe("gzip");
      expect(page.bytes).toBeLessThan(Buffer.byteLength(html) / 10);
      expect((await raw("pic.png")).headers["content-encoding"]).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe("npm run check", () => {
  it("prints note:line, writes --json and exits 1 when something is broken; exits 0 when not", () => {
    const dir = tempDir("cli");
    writeTree(dir, {
      "index.html": page(`<a href="/x/">x</a>`),
      "x/index.html": page(`<a href="/y/">y</a>`),
      "verinotes-sources.json": JSON.stringify({ pages: { "x/index.html": { source: "_posts/x.md", links: [{ href: "/y/", line: 3 }] } } }),
    });
    const json = path.join(dir, "report.json");
    const broken = runScript("check", [dir, "--json", json]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('_posts/x.md:3: error: broken link "/y/" on x/index.html: no such page: /y/');
    expect(broken.stdout).toMatch(/Checked 2 pages .* 1 broken in/);
    expect(JSON.parse(fs.readFileSync(json, "utf8"))).toEqual({
      broken: [{ page: "x/index.html", source: "_posts/x.md", line: 3, href: "/y/", reason: "no such page: /y/ (looked for y/index.html)" }],
    });
    fs.mkdirSync(path.join(dir, "y"));
    fs.writeFileSync(path.join(dir, "y/index.html"), page("y"));
    const good = runScript("check", [dir]);
    expect(good.status).toBe(0);
    expect(runScript("check", [path.join(dir, "nope")]).status).toBe(2);
  });
});

describe("generated notes with 8 planted broken links, built with the real CLI", () => {
  const work = tempDir("gen-broken");
  const notes = path.join(work, "notes");
  const site = path.join(work, "site");
  let manifest: { broken: { source: string; target: string }[] };
  let report: CheckReport;
  let cli: ReturnType<typeof runScript>;
  beforeAll(async () => {
    const { spawnSync } = await import("node:child_process");
    const g = spawnSync(process.execPath, [path.join(sharedDir, "bench/gen-notes.mjs"), notes, "300", "--broken=8", "--seed=11"], { encoding: "utf8" });
    if (g.status !== 0) throw new Error(g.stderr);
    manifest = JSON.parse(fs.readFileSync(path.join(work, "corpus-manifest.json"), "utf8"));
    const build = runScript("build", ["--input", notes, "--output", site]);
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    report = await checkSite(site);
    cli = runScript("check", [site, "--json", path.join(work, "report.json")]);
  });

  it("finds exactly the planted links, each with its note", () => {
    expect(manifest.broken).toHaveLength(8);
    const found = report.broken.map((b: BrokenLink) => `${b.source} ${b.href}`).sort();
    expect(found).toEqual(manifest.broken.map((b) => `${b.source} ${b.target}`).sort());
  });

  it("gives the line each link was written on", () => {
    for (const b of report.broken) {
      const lines = fs.readFileSync(path.join(notes, b.source!), "utf8").split("\n");
      expect(lines[b.line! - 1], `${b.source}:${b.line}`).toContain(`](${b.href})`);
    }
  });

  it("says why: a missing page, or a missing heading on an existing page", () => {
    for (const b of report.broken) {
      if (b.href.includes("#")) expect(b.reason).toMatch(/^no element with id or name "no-such-heading-\d" on \d{4}\/\d\d\/\d\d\/note-\d{5}\/index\.html$/);
      else expect(b.reason).toMatch(/^no such page: \/no-such-note-\d\//);
    }
  });

  it("raised no false alarm among hundreds of good post_links and #中文 anchors into other notes", () => {
    let postLinks = 0;
    let cjkAnchors = 0;
    for (const [route, entry] of Object.entries(JSON.parse(fs.readFileSync(path.join(site, "verinotes-sources.json"), "utf8")).pages as Record<string, { links: { href: string }[] }>)) {
      const hrefs = new Set(extractPage(fs.readFileSync(path.join(site, route), "utf8")).links.map((l) => l.href));
      for (const { href } of entry.links) {
        if (!hrefs.has(href) || !/^\/\d{4}\/\d\d\/\d\d\/note-\d{5}\//.test(href)) continue;
        if (/#\d+-%E/.test(href)) cjkAnchors++;
        else if (!href.includes("#")) postLinks++;
      }
    }
    expect(postLinks).toBeGreaterThan(100);
    expect(cjkAnchors).toBeGreaterThan(100);
    expect(report.stats.internalLinks).toBeGreaterThan(10_000);
    expect(report.broken).toHaveLength(8);
  });

  it("exits 1 from the CLI with the same JSON", () => {
    expect(cli.status).toBe(1);
    const json = JSON.parse(fs.readFileSync(path.join(work, "report.json"), "utf8"));
    expect(json.broken).toEqual(report.broken);
  });
});
