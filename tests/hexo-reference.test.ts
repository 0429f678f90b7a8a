// The acceptance of the foundation: the real blog builds at exactly the URLs, categories, tags and heading ids
// that Hexo 8.1.2 gives it. Expected values were recorded with the real Hexo (scripts/record-hexo-reference.mjs).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listFiles, runScript, sharedDir, tempDir, projectRoot, writeTree } from "./helpers/cli.ts";

interface RecordedPost {
  source: string;
  path: string;
  categories: (string | { path: string })[];
  tags: (string | { path: string })[];
  headingIds: string[] | null;
  dateFromFile?: boolean | null;
  visible?: boolean;
}
interface Recorded {
  posts: RecordedPost[];
  routes: string[];
  configYaml?: string;
  files?: Record<string, string>;
}

const paths = (xs: (string | { path: string })[]) => xs.map((x) => (typeof x === "string" ? x : x.path)).sort();

const load = (name: string): Recorded => JSON.parse(fs.readFileSync(path.join(projectRoot, "tests/fixtures", name), "utf8"));

/** Pages Verinotes adds that Hexo's default generators do not make. */
const extras = new Set(["404.html", "categories/index.html", "tags/index.html", "cat/index.html", "search/index.html", "snippets/index.html"]);

function builtPages(out: string): string[] {
  return listFiles(out).filter((f) => f.endsWith(".html") && !extras.has(f) && !f.startsWith("assets/"));
}

/** Each heading's ids: its `id` and the alias anchors it holds (the published site's style may be the `id`). */
function headingIdsOf(html: string): string[][] {
  const body = html.slice(html.indexOf('<div class="post-body">'));
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return [...body.matchAll(/<h([1-6]) id="([^"]*)"[^>]*>(.*?)<\/h\1>/gs)].map((m) => [
    unescape(m[2]),
    ...[...m[3].matchAll(/<span class="heading-alias" id="([^"]*)">/g)].map((a) => unescape(a[1])),
  ]);
}

function pageOf(out: string, hexoPath: string): string {
  const route = hexoPath.replace(/^\//, "");
  return fs.readFileSync(path.join(out, route.endsWith("/") || route === "" ? `${route}index.html` : route), "utf8");
}

function linkPaths(html: string, kind: "categories" | "tags", dir: string): string[] {
  const header = html.slice(html.indexOf('<header class="post-header">'), html.indexOf("</header>", html.indexOf('<header class="post-header">')));
  const hrefs = [...header.matchAll(/href="([^"]+)"/g)].map((m) => decodeURI(m[1]).replace(/^\//, ""));
  return [...new Set(hrefs.filter((h) => h.startsWith(`${dir}/`)))].sort();
}

describe("tom89757, a real Hexo blog, built with --hexo", () => {
  const recorded = load("hexo-tom89757.json");
  const out = tempDir("tom");
  let build: ReturnType<typeof runScript>;
  beforeAll(() => {
    build = runScript("build", ["--hexo", path.join(sharedDir, "corpus/tom89757"), "--output", out], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
  });

  it("builds without errors", () => {
    expect(build.stderr).not.toMatch(/: error:/);
    expect(build.status).toBe(0);
  });

  it("writes every page at the route Hexo 8.1.2 writes it, and no other listing or post page", () => {
    expect(builtPages(out).sort()).toEqual([...recorded.routes].sort());
  });

  // Verinotes also renders headings that Hexo shows as raw text (a `</br>` line swallows the lines under it into
  // an HTML block in Hexo; see README). So Hexo's ids must all be there, in order, unchanged; extra ids may sit between.
  // The one id Verinotes does not give, on purpose: Hexo had no math renderer, so a line of `=` inside a `$$…$$`
  // formula made a setext <h1> of the formula's text. Verinotes renders the formula (issue 2: math at build time).
  const notHeadingsHere: Record<string, string[]> = {
    "_posts/图像处理试题.md": ["解：-f-x-g-x-int-0-1-f-a-g-x-a-da-int-0-1-g-x-a-da-令-x-a-u，则-f-x-g-x-int-x-x-1-g-u-d-x-u-int-x-1-x-g-u-du"],
  };

  it("gives every heading the id Hexo gives it, so every existing #anchor still works", () => {
    let compared = 0;
    let extra = 0;
    for (const post of recorded.posts) {
      if (!post.headingIds) continue;
      const ours = headingIdsOf(pageOf(out, post.path));
      let at = 0;
      const missing = post.headingIds.filter((id) => {
        const found = ours.findIndex((ids, k) => k >= at && ids.includes(id));
        // A repeated heading's id can be another heading's under the published style's numbering (Hexo's
        // `工具-2` is the third 工具, markdown-it-plus's the second): one element holds it, and it still resolves.
        if (found < 0) return !ours.some((ids) => ids.includes(id));
        at = found + 1;
        return false;
      });
      expect({ source: post.source, missing }).toEqual({ source: post.source, missing: notHeadingsHere[post.source] ?? [] });
      compared += post.headingIds.length;
      extra += ours.length - post.headingIds.length;
    }
    expect(compared).toBeGreaterThan(800);
    expect(extra).toBeLessThan(60);
  });

  it("attaches every post to Hexo's categories and tags", () => {
    for (const post of recorded.posts) {
      const html = pageOf(out, post.path);
      expect({ source: post.source, categories: linkPaths(html, "categories", "categories") }).toEqual({ source: post.source, categories: paths(post.categories) });
      expect({ source: post.source, tags: linkPaths(html, "tags", "tags") }).toEqual({ source: post.source, tags: paths(post.tags) });
    }
  });
});

describe("a case exercising Hexo options (drafts, maps, pagination_dir, category_dir, new_post_name, permalink override)", () => {
  const recorded = load("hexo-options-case.json");
  const blog = tempDir("opts-blog");
  const out = tempDir("opts-out");
  let build: ReturnType<typeof runScript>;
  beforeAll(() => {
    writeTree(blog, { "_config.yml": recorded.configYaml!, ...Object.fromEntries(Object.entries(recorded.files!).map(([k, v]) => [`source/${k}`, v])) });
    build = runScript("build", ["--hexo", blog, "--output", out], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
  });

  it("builds", () => {
    expect(build.status).toBe(0);
  });

  it("writes exactly Hexo's routes", () => {
    expect(builtPages(out).sort()).toEqual([...recorded.routes].sort());
  });

  it("gives visible posts Hexo's categories and tags; hidden ones get no page", () => {
    for (const post of recorded.posts) {
      const file = path.join(out, post.path.replace(/^\//, ""), "index.html");
      if (post.visible === false) {
        expect(fs.existsSync(file), post.source).toBe(false);
        continue;
      }
      const html = fs.readFileSync(file, "utf8");
      expect(linkPaths(html, "categories", "cat"), post.source).toEqual(paths(post.categories));
      expect(linkPaths(html, "tags", "tags"), post.source).toEqual(paths(post.tags));
    }
  });
});
