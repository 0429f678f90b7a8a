// The static link check of a built site: every internal URL of every page, feed and sitemap must name a file of
// the site, and every `#fragment` an element of the page it points at. Pure apart from reading the folder (and,
// with `external`, asking other hosts).
import fs from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import { extractPage, extractXml, type LinkRef } from "./html.ts";
import {
  LOCAL_ORIGIN,
  candidateFiles,
  detectLocation,
  encodePath,
  normalizeRoot,
  safeDecode,
  sameSite,
  tryUrl,
  type SiteLocation,
} from "./urls.ts";
import { SourceIndex } from "./sources.ts";
import { checkExternal, withoutFragment, type ExternalOptions } from "./external.ts";

export interface CheckOptions {
  /** The site's root path ("/blog/"); default: found from `sitemap.xml` and `<link rel=canonical>`, else "/". */
  root?: string;
  /** The site's URL ("https://me.github.io/blog/"); absolute links to it are internal. Default: found like `root`. */
  siteUrl?: string;
  /** Check links to other hosts too (off by default: CI may have no network). */
  external?: boolean | ExternalOptions;
  /** The build's sources file; default `<dir>/verinotes-sources.json`. */
  sourcesFile?: string;
  /**
   * Ask the hosts of remote images now (`--images`; needs network). Without it, remote images are still reported
   * gone when the build that localized them (`--localize-images`) found them gone (its verinotes-images.json).
   */
  images?: boolean | ExternalOptions;
}

/** Written by `npm run build -- --localize-images`: each remote image and what became of it. */
export const REMOTE_IMAGES_FILE = "verinotes-images.json";
const IMAGE_WHERE = /^(?:img|source|input|video\[poster)/;

export interface BrokenLink {
  /** The page (or feed, sitemap) holding the link: its file in the site folder, e.g. `2022/06/03/x/index.html`. */
  page: string;
  /** The note the link was written in, as the user knows it; null when not known. */
  source: string | null;
  /** 1-based line in that note; null when not known (the link came from the layout, or no sources file). */
  line: number | null;
  /** The URL as written in the page. */
  href: string;
  reason: string;
}

export interface CheckReport {
  broken: BrokenLink[];
  location: SiteLocation;
  /** Whether the build's sources file was found (without it problems name the page only). */
  sourcesFound: boolean;
  stats: {
    pages: number;
    xmlFiles: number;
    /** URLs checked (occurrences): internal, and external ones (checked or not). */
    internalLinks: number;
    externalLinks: number;
    externalUrls: number;
    externalChecked: boolean;
    ms: number;
  };
}

interface Verdict {
  /** Broken: why. */
  reason?: string;
  /** A link to another site: the URL to ask. */
  external?: string;
  /** A link to a fragment of a page of the site: the page, and the forms of the fragment that would find it. */
  target?: string;
  fragments?: string[];
  shown?: string;
}

const OK: Verdict = {};
const EMPTY_IS_BROKEN = new Set(["img[src]", "script[src]", "video[src]", "video[poster]", "audio[src]", "source[src]", "track[src]", "embed[src]", "input[src]"]);
const HTML_FILE = /\.x?html?$/i;

/** Lists every file below `dir` (relative, `/`-separated, raw UTF-8 names); symbolic links are not followed. */
export function listSiteFiles(dir: string): string[] {
  return globSync("**", { cwd: dir, dot: true, followSymbolicLinks: false, expandDirectories: false });
}

export async function checkSite(dir: string, options: CheckOptions = {}): Promise<CheckReport> {
  const started = performance.now();
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`no site folder at ${dir}`);
  const fileList = listSiteFiles(dir);
  const files = new Set(fileList);
  const has = (rel: string) => files.has(rel);
  const read = (rel: string) => fs.readFileSync(path.join(dir, rel), "utf8");
  const htmlFiles = fileList.filter((rel) => HTML_FILE.test(rel));

  // Feeds and sitemaps (top-level XML files) first: the sitemap tells where the site lives.
  const xmls = new Map<string, LinkRef[]>();
  const sitemapLocs: string[] = [];
  for (const rel of fileList) {
    if (rel.includes("/") || !rel.toLowerCase().endsWith(".xml")) continue;
    const facts = extractXml(read(rel));
    if (facts.kind === "other") continue;
    xmls.set(rel, facts.links);
    if (facts.kind === "sitemap") sitemapLocs.push(...facts.links.filter((l) => l.where === "loc").map((l) => l.href));
  }
  const location = siteLocation(options, has, sitemapLocs, htmlFiles, read);
  const siteOrigin = new URL(location.origin ?? LOCAL_ORIGIN);
  const root = location.root;

  /** Anchors of every page parsed so far. */
  const anchorsOf = new Map<string, Set<string>>();
  /** Links into another page's fragment whose page was not parsed yet. */
  const pending: { page: string; href: string; verdict: Verdict }[] = [];
  const absolute = new Map<string, Verdict>();
  const relative = new Map<string, Verdict>();
  const externalUses = new Map<string, { page: string; href: string }[]>();
  /** Remote images: what a reader sees nothing of when their host is gone. */
  const imageUses = new Map<string, { page: string; href: string }[]>();
  const problems: { page: string; href: string; reason: string }[] = [];
  let internalLinks = 0;
  let externalLinks = 0;

  /** Decides one URL as written in a page whose relative URLs resolve against `baseUrl` (on the local origin). */
  const decide = (href: string, baseUrl: string): Verdict => {
    if (/^[a-zA-Z]:[\\/]/.test(href)) return { reason: "a path on the author's computer (a Windows drive), not a URL" };
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(href)?.[1]?.toLowerCase();
    if (scheme === "file") return { reason: "a file on the author's computer, not a URL" };
    if (scheme && scheme !== "http" && scheme !== "https") return OK; // mailto:, tel:, data:, javascript: …
    const url = tryUrl(href, baseUrl);
    if (!url) return { reason: "not a valid URL" };
    if (!/^https?:$/.test(url.protocol)) return OK;
    const local = url.origin === LOCAL_ORIGIN;
    if (!local && !sameSite(url, siteOrigin)) return { external: url.href };
    if (!url.pathname.startsWith(root)) {
      if (url.pathname === root.slice(0, -1)) return OK; // "/blog" → the host redirects to "/blog/"
      // An absolute URL to another path of the site's host is another site (user.github.io/other-project/).
      if (!local) return { external: url.href };
      return { reason: `outside the site's root path ${root}` };
    }
    const rest = safeDecode(url.pathname.slice(root.length));
    if (rest === undefined) return { reason: "malformed percent-encoding in the path" };
    const candidates = candidateFiles(rest);
    const target = candidates.find(has);
    if (!target) return { reason: `no such page: ${root}${rest} (looked for ${candidates.join(", ")})` };
    const hashAt = href.indexOf("#");
    if (hashAt < 0 || !HTML_FILE.test(target)) return OK; // a fragment of an image or a PDF is not ours to check
    const fragment = href.slice(hashAt + 1);
    if (fragment === "" || fragment.toLowerCase() === "top") return OK;
    const serialized = url.hash.slice(1);
    const forms = [...new Set([fragment, safeDecode(fragment), serialized, safeDecode(serialized)])].filter(
      (f): f is string => f !== undefined,
    );
    return { target, fragments: forms, shown: safeDecode(fragment) ?? fragment };
  };

  const fragmentReason = (verdict: Verdict, anchors: Set<string>): string | undefined => {
    if (verdict.fragments!.some((f) => anchors.has(f))) return undefined;
    return `no element with id or name "${verdict.shown}" on ${verdict.target}`;
  };

  const checkLinks = (page: string, links: LinkRef[], base: string | undefined, ownAnchors: Set<string> | undefined) => {
    const pageUrl = LOCAL_ORIGIN + root + encodePath(page);
    const baseUrl = base ? (tryUrl(base, pageUrl)?.href ?? pageUrl) : pageUrl;
    const baseDir = baseUrl.slice(0, baseUrl.lastIndexOf("/") + 1);
    for (const { href, where } of links) {
      if (href === "") {
        // An empty href is this very page; an empty src is no image (or script, or media) at all.
        if (EMPTY_IS_BROKEN.has(where)) {
          internalLinks++;
          problems.push({ page, href, reason: `empty ${where}` });
        }
        continue;
      }
      const first = href.charCodeAt(0);
      if (first === 35 /* # */ && ownAnchors && !base) {
        // A fragment of this page: no URL to resolve.
        internalLinks++;
        const fragment = href.slice(1);
        if (fragment === "" || fragment.toLowerCase() === "top" || ownAnchors.has(fragment)) continue;
        const decoded = safeDecode(fragment);
        if (decoded !== undefined && ownAnchors.has(decoded)) continue;
        problems.push({ page, href, reason: `no element with id or name "${decoded ?? fragment}" on ${page}` });
        continue;
      }
      // Results depend only on the href for absolute ones, on the base (folder) for relative ones.
      const isAbsolute = first === 47 /* / */ || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(href);
      const key = isAbsolute ? href : first === 35 || first === 63 /* ? */ ? `${baseUrl}\n${href}` : `${baseDir}\n${href}`;
      const cache = isAbsolute ? absolute : relative;
      let verdict = cache.get(key);
      if (!verdict) {
        verdict = decide(href, baseUrl);
        cache.set(key, verdict);
      }
      if (verdict.external) {
        externalLinks++;
        const uses = externalUses.get(verdict.external);
        if (uses) uses.push({ page, href });
        else externalUses.set(verdict.external, [{ page, href }]);
        if (IMAGE_WHERE.test(where)) imageUses.set(verdict.external, [...(imageUses.get(verdict.external) ?? []), { page, href }]);
        continue;
      }
      internalLinks++;
      if (verdict.reason) problems.push({ page, href, reason: verdict.reason });
      else if (verdict.target) {
        const anchors = verdict.target === page ? ownAnchors : anchorsOf.get(verdict.target);
        if (!anchors) pending.push({ page, href, verdict });
        else {
          const reason = fragmentReason(verdict, anchors);
          if (reason) problems.push({ page, href, reason });
        }
      }
    }
  };

  for (const page of htmlFiles) {
    const facts = extractPage(fs.readFileSync(path.join(dir, page)));
    anchorsOf.set(page, facts.anchors);
    checkLinks(page, facts.links, facts.base, facts.anchors);
  }
  for (const [file, links] of xmls) checkLinks(file, links, undefined, undefined);
  for (const { page, href, verdict } of pending) {
    const reason = fragmentReason(verdict, anchorsOf.get(verdict.target!) ?? new Set());
    if (reason) problems.push({ page, href, reason });
  }

  const externalOptions = options.external === true ? {} : options.external || undefined;
  if (externalOptions) {
    const results = await checkExternal(externalUses.keys(), externalOptions);
    for (const [url, uses] of externalUses) {
      const result = results.get(withoutFragment(url));
      if (result && !result.ok) for (const use of uses) problems.push({ ...use, reason: result.reason ?? "broken" });
    }
  }

  // Remote images that are gone: as the build found them (no network needed), and with `images` as their hosts say now.
  const goneAtBuild = readGoneImages(path.join(dir, REMOTE_IMAGES_FILE));
  const imageOptions = options.images === true ? {} : options.images || undefined;
  const asked = imageOptions && !externalOptions ? await checkExternal(imageUses.keys(), imageOptions) : undefined;
  for (const [url, uses] of imageUses) {
    const now = asked?.get(withoutFragment(url));
    const reason = now && !now.ok ? now.reason : !now && !externalOptions ? goneAtBuild.get(url) : undefined;
    if (reason) for (const use of uses) problems.push({ ...use, reason: `image gone: ${reason}` });
  }

  const sources = SourceIndex.forSite(dir, options.sourcesFile);
  const broken = attribute(problems, sources);
  return {
    broken,
    location,
    sourcesFound: sources.found,
    stats: {
      pages: htmlFiles.length,
      xmlFiles: xmls.size,
      internalLinks,
      externalLinks,
      externalUrls: externalUses.size,
      externalChecked: Boolean(externalOptions),
      ms: performance.now() - started,
    },
  };
}

/** The remote images the build could not copy, with why (from verinotes-images.json, when the build wrote one). */
function readGoneImages(file: string): Map<string, string> {
  const gone = new Map<string, string>();
  try {
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as { images?: Record<string, { gone?: string; file?: string }> };
    for (const [url, image] of Object.entries(record.images ?? {})) {
      // Keyed as the page's links are: the URL as the parser serializes it.
      if (image.gone && !image.file) gone.set(tryUrl(url, LOCAL_ORIGIN)?.href ?? url, `${image.gone} (when the site was built)`);
    }
  } catch {
    // no record: the site was built without --localize-images
  }
  return gone;
}

function siteLocation(
  options: CheckOptions,
  has: (rel: string) => boolean,
  sitemapLocs: string[],
  htmlFiles: string[],
  read: (rel: string) => string,
): SiteLocation {
  if (options.siteUrl) {
    const url = new URL(options.siteUrl);
    return { origin: url.origin, root: normalizeRoot(options.root ?? url.pathname) };
  }
  let found = detectLocation(has, sitemapLocs, []);
  if (!found.origin) {
    // No usable sitemap: the canonical links of the home page and a few others.
    const sample = [...htmlFiles.filter((f) => f === "index.html"), ...htmlFiles.slice(0, 20)];
    const canonicals: { route: string; href: string }[] = [];
    for (const route of sample) {
      const canonical = extractPage(read(route)).canonical;
      if (canonical) canonicals.push({ route, href: canonical });
    }
    found = detectLocation(has, [], canonicals);
  }
  return options.root ? { origin: found.origin, root: normalizeRoot(options.root) } : found;
}

/** One broken link per place it was written (note and line when the build said), in a stable order. */
function attribute(problems: { page: string; href: string; reason: string }[], sources: SourceIndex): BrokenLink[] {
  const groups = new Map<string, { page: string; href: string; reason: string; count: number }>();
  for (const p of problems) {
    const key = `${p.page}\0${p.href}\0${p.reason}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { ...p, count: 1 });
  }
  const out: BrokenLink[] = [];
  for (const g of groups.values()) {
    for (const { source, line } of sources.attribute(g.page, g.href, g.count)) {
      out.push({ page: g.page, source, line, href: g.href, reason: g.reason });
    }
  }
  return out.sort(
    (a, b) =>
      compare(a.source ?? "\uffff", b.source ?? "\uffff") ||
      (a.line ?? Infinity) - (b.line ?? Infinity) ||
      compare(a.page, b.page) ||
      compare(a.href, b.href),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Where a built site lives and the pages its `sitemap.xml` lists, as paths below the root
 * (`2022/06/03/argparse-%E5%85%A5%E9%97%A8/`, percent-encoded as in the sitemap): what a crawl visits.
 */
export function sitemapPages(dir: string, options: Pick<CheckOptions, "root" | "siteUrl"> = {}): { location: SiteLocation; paths: string[] } {
  const has = (rel: string) => fs.existsSync(path.join(dir, rel)) && fs.statSync(path.join(dir, rel)).isFile();
  const file = path.join(dir, "sitemap.xml");
  const locs = fs.existsSync(file)
    ? extractXml(fs.readFileSync(file, "utf8")).links.filter((l) => l.where === "loc").map((l) => l.href)
    : [];
  const htmlFiles = fs.existsSync(path.join(dir, "index.html")) ? ["index.html"] : [];
  const location = siteLocation(options, has, locs, htmlFiles, (rel) => fs.readFileSync(path.join(dir, rel), "utf8"));
  const site = new URL(location.origin ?? LOCAL_ORIGIN);
  const paths: string[] = [];
  for (const loc of locs) {
    const url = tryUrl(loc, site.href);
    if (!url || !url.pathname.startsWith(location.root)) continue;
    paths.push(url.pathname.slice(location.root.length) + url.search);
  }
  return { location, paths: [...new Set(paths)] };
}
