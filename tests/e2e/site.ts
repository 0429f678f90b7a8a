// The site under test: the folder (SITE_DIR, or the sample site the global setup built) and the pages to visit.
import fs from "node:fs";
import path from "node:path";
import { load as loadYaml } from "js-yaml";
import { sitemapPages } from "../../plugins/checks/check.ts";

const projectRoot = path.resolve(import.meta.dirname, "../..");

/** The built folder being served (set by the global setup for the tests). */
export function siteDir(): string {
  const dir = process.env.VERINOTES_E2E_SITE_DIR ?? process.env.SITE_DIR;
  if (!dir) throw new Error("no site folder: run the tests with `npx playwright test` (the global setup builds one) or set SITE_DIR");
  return path.resolve(dir);
}

/** The Hexo blog to build instead of the sample (VERINOTES_E2E_HEXO, relative to the project), if any. */
export function hexoBlog(): string | undefined {
  const blog = process.env.VERINOTES_E2E_HEXO;
  return blog ? path.resolve(projectRoot, blog) : undefined;
}

/** The blog the served site was built from: VERINOTES_E2E_HEXO, else the sample blog (content/). */
export function sourceBlog(): string {
  return hexoBlog() ?? path.join(projectRoot, "content");
}

/** The tom89757 blog, beside the project as CI has it. */
const tom89757 = path.resolve(projectRoot, "../shared/corpus/tom89757");

/**
 * A second blog the reader tests also visit: tom89757, unless it is already the site under test, SITE_DIR is given,
 * VERINOTES_E2E_TOM=off, or the corpus is not there. Known before the build (the test list depends on it); the
 * global setup builds and serves it.
 */
export function extraBlog(): { name: string; blog: string } | undefined {
  if (process.env.SITE_DIR || process.env.VERINOTES_E2E_TOM === "off") return undefined;
  if (hexoBlog() === tom89757 || !fs.existsSync(path.join(tom89757, "_config.yml"))) return undefined;
  return { name: "tom89757", blog: tom89757 };
}

/** A built site being served: its folder, the blog it was built from, and its address. */
export interface ServedSite {
  name: string;
  dir: () => string;
  blog: string;
  url: () => string;
}

/**
 * The sites the reader tests run on: the one the suite serves (sample blog, VERINOTES_E2E_HEXO or SITE_DIR) and the
 * extra blog. Folders and addresses are read when a test runs (the global setup sets them).
 */
export function readerSites(): ServedSite[] {
  const port = process.env.VERINOTES_E2E_PORT;
  const main: ServedSite = {
    name: hexoBlog() ? path.basename(hexoBlog()!) : process.env.SITE_DIR ? "SITE_DIR" : "sample",
    dir: siteDir,
    blog: sourceBlog(),
    url: () => `http://127.0.0.1:${port}${expectedRoot()}`,
  };
  const extra = extraBlog();
  if (!extra) return [main];
  const env = (name: string) => () => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: the global setup builds ${extra.blog}`);
    return value;
  };
  return [main, { name: extra.name, blog: extra.blog, dir: env("VERINOTES_E2E_EXTRA_DIR"), url: env("VERINOTES_E2E_EXTRA_URL") }];
}

/** Whether the site under test is the sample blog built by the global setup (the committed screenshots show it). */
export function isSampleSite(): boolean {
  return !process.env.SITE_DIR && !process.env.VERINOTES_E2E_HEXO;
}

/**
 * The root path the site will be served under, known before it is built: from SITE_DIR's sitemap, else from the
 * blog's `_config.yml` (`root:`, default "/").
 */
export function expectedRoot(): string {
  if (process.env.SITE_DIR) return sitemapPages(path.resolve(process.env.SITE_DIR)).location.root;
  try {
    const config = loadYaml(fs.readFileSync(path.join(sourceBlog(), "_config.yml"), "utf8")) as { root?: unknown };
    let root = typeof config?.root === "string" && config.root ? config.root : "/";
    if (!root.startsWith("/")) root = `/${root}`;
    return root.endsWith("/") ? root : `${root}/`;
  } catch {
    return "/";
  }
}

/** Every page of the sitemap, as a path below the root ("" is the home page), in sitemap order. */
export function crawlPaths(dir: string = siteDir()): string[] {
  return sitemapPages(dir).paths;
}

/** The chunk `k` of `n` of the sitemap's pages (every n-th page, so each chunk gets a mix of kinds). */
export function chunk<T>(items: T[], k: number, n: number): T[] {
  return items.filter((_, i) => i % n === k);
}

/** A post: the first entry of the Atom feed, else the first sitemap page with a year in its path. */
export function aPost(dir: string = siteDir()): string | undefined {
  const root = sitemapPages(dir).location.root;
  const feed = path.join(dir, "atom.xml");
  if (fs.existsSync(feed)) {
    const m = /<entry>[\s\S]*?<link\s+href="([^"]+)"/.exec(fs.readFileSync(feed, "utf8"));
    if (m) {
      const pathname = new URL(m[1], "http://x").pathname;
      if (pathname.startsWith(root)) return pathname.slice(root.length);
    }
  }
  return crawlPaths(dir).find((p) => /(^|\/)\d{4}\//.test(p));
}

/** A category page: the first sitemap page under `categories/<name>/`. */
export function aCategoryPage(dir: string = siteDir()): string | undefined {
  return crawlPaths(dir).find((p) => /^categories\/[^/]+\/$/.test(p));
}

/** Where the site is published (`https://notes.example.org/`), from its sitemap; absolute links to it are internal. */
export function publishedUrl(): string | undefined {
  const { origin, root } = sitemapPages(siteDir()).location;
  return origin ? origin + root : undefined;
}
