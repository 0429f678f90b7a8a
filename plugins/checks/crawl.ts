// The browser crawl's checks of one page, on a Playwright `Page` that is reused from page to page (one page per
// URL is four times slower): HTTP 200; no console error, page error, failed request or answer ≥ 400; every image
// of the site decodes; every same-page `#fragment` finds an element; the page does not scroll sideways; every
// link to another page of the site answers 200 and finds its `#fragment` there (read with the browser's own
// DOMParser); snippet downloads give the code block's bytes; copy buttons copy it. Playwright is only a type
// here: the caller brings the page (Playwright Test, or a browser launched by a Vitest test).
import fs from "node:fs";
import type { Page } from "@playwright/test";

/** The in-page code, sent as text (see crawl-in-page.js). */
const IN_PAGE = fs.readFileSync(new URL("./crawl-in-page.js", import.meta.url), "utf8");
const inPage = (call: string) => `(async () => {\n${IN_PAGE}\nreturn ${call};\n})()`;
const SENTINEL = "\u0000verinotes-crawl-sentinel";

export interface CrawlProblem {
  /** The page visited. */
  url: string;
  kind:
    | "status"
    | "console"
    | "pageerror"
    | "request"
    | "image"
    | "fragment"
    | "link"
    | "overflow"
    | "download"
    | "copy";
  detail: string;
}

export interface CrawlPageResult {
  url: string;
  status: number | null;
  problems: CrawlProblem[];
  ms: number;
  counts: { images: number; fragments: number; links: number; downloads: number; copyButtons: number };
  /** Milliseconds spent loading the page, reading it, checking its links, its snippets. */
  phases: { load: number; read: number; links: number; snippets: number };
}

export interface CrawlOptions {
  /** Check links to other pages of the site (and their fragments). Default true. */
  links?: boolean;
  /**
   * Copy buttons clicked per page (each is a real click and a clipboard read), on the first `copyButtonPages`
   * pages that have them (every page's buttons are checked to name code of their figure). Defaults 1 and 5.
   * The clipboard is the browser's: crawlers that click copy buttons must not share a browser.
   */
  copyButtonsPerPage?: number;
  copyButtonPages?: number;
  /** URL paths whose failures are the browser's own, not the page's. Default: `/favicon.ico`. */
  ignoreRequests?: (url: URL) => boolean;
  /**
   * Failed requests to other hosts for a note's content (images, media, embedded frames) are not reported by
   * default: a CI machine may have no network. Styles, scripts, fonts and fetches from another host are always
   * reported, since the site must not need other hosts. True: report every failure.
   */
  externalContent?: boolean;
  /** Shared between crawlers of one site: answers for linked URLs. */
  cache?: LinkCache;
  /** Where the site is published (`https://me.github.io/blog/`): absolute links to it are checked on the served copy. */
  siteUrl?: string;
}

interface LinkAnswer {
  status: number;
  isHtml: boolean;
  /** Kept when the page's anchors were wanted, until they are read. */
  html?: string;
  error?: string;
}

/** Answers for URLs of the site, fetched once: status, and the ids/names of an HTML page. */
export class LinkCache {
  readonly answers = new Map<string, Promise<LinkAnswer>>();
  readonly anchors = new Map<string, Promise<Set<string>>>();
}

const automaticRequests = (url: URL) => url.pathname === "/favicon.ico";

interface PageFacts {
  images: { src: string; ok: boolean; why: string }[];
  fragments: { href: string; found: boolean }[];
  /** [URL to check on the served site, href as written]. */
  links: [string, string][];
  overflow: { scrollWidth: number; innerWidth: number; culprits: string[] } | null;
  downloads: { href: string; code: string; index: number }[];
  copyButtons: number;
  copyMisses: string[];
}

export class Crawler {
  private readonly page: Page;
  private readonly options: Required<Omit<CrawlOptions, "cache" | "siteUrl">>;
  private readonly siteUrl?: string;
  private readonly cache: LinkCache;
  private current: CrawlProblem[] = [];
  private currentUrl = "";
  private navigating = false;
  private clipboardGranted = false;
  private copyPagesClicked = 0;

  constructor(page: Page, options: CrawlOptions = {}) {
    this.page = page;
    this.options = {
      links: options.links ?? true,
      copyButtonsPerPage: options.copyButtonsPerPage ?? 1,
      copyButtonPages: options.copyButtonPages ?? 5,
      ignoreRequests: options.ignoreRequests ?? automaticRequests,
      externalContent: options.externalContent ?? false,
    };
    this.cache = options.cache ?? new LinkCache();
    this.siteUrl = options.siteUrl;
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const location = message.location()?.url;
      if (location && this.ignored(location)) return;
      // "Failed to load resource" repeats a failed answer the response listener reports with its URL.
      if (/^Failed to load resource/.test(message.text()) && location) return;
      this.report("console", message.text());
    });
    page.on("pageerror", (error) => this.report("pageerror", `${error.name}: ${error.message}`));
    page.on("requestfailed", (request) => {
      if (this.ignored(request.url()) || this.externalContent(request.url(), request.resourceType())) return;
      const failure = request.failure()?.errorText ?? "failed";
      // A navigation that replaces the previous page aborts that page's late requests: not a fault.
      if (failure === "net::ERR_ABORTED" && this.navigating) return;
      this.report("request", `${request.method()} ${request.url()}: ${failure}`);
    });
    page.on("response", (response) => {
      const status = response.status();
      if (status < 400 || this.ignored(response.url()) || this.externalContent(response.url(), response.request().resourceType())) return;
      if (response.request().isNavigationRequest() && response.request().frame() === page.mainFrame()) return;
      this.report("request", `${response.request().method()} ${response.url()}: HTTP ${status}`);
    });
  }

  /** A note's image, media or frame on another host, when those are not reported. */
  private externalContent(url: string, type: string): boolean {
    if (this.options.externalContent || !["image", "media", "document", "other"].includes(type)) return false;
    try {
      const u = new URL(url);
      return /^https?:$/.test(u.protocol) && u.origin !== new URL(this.currentUrl).origin;
    } catch {
      return false;
    }
  }

  private ignored(url: string): boolean {
    try {
      return this.options.ignoreRequests(new URL(url));
    } catch {
      return false;
    }
  }

  private report(kind: CrawlProblem["kind"], detail: string): void {
    this.current.push({ url: this.currentUrl, kind, detail });
  }

  /** Visits one URL and runs every check; never throws for a fault of the page (it is reported). */
  async visit(url: string): Promise<CrawlPageResult> {
    const started = performance.now();
    this.current = [];
    this.currentUrl = url;
    const counts = { images: 0, fragments: 0, links: 0, downloads: 0, copyButtons: 0 };
    let status: number | null = null;
    const phases = { load: 0, read: 0, links: 0, snippets: 0 };
    let mark = performance.now();
    const lap = (phase: keyof typeof phases) => {
      const now = performance.now();
      phases[phase] += now - mark;
      mark = now;
    };
    try {
      this.navigating = true;
      const response = await this.page.goto(url, { waitUntil: "load" });
      this.navigating = false;
      lap("load");
      status = response?.status() ?? null;
      if (status !== 200) this.report("status", `HTTP ${status ?? "no answer"}`);
      if (status !== null && status < 400) {
        const facts = (await this.page.evaluate(inPage(`pageFacts(${JSON.stringify(this.siteUrl ?? null)})`))) as PageFacts;
        lap("read");
        counts.images = facts.images.length;
        counts.fragments = facts.fragments.length;
        counts.downloads = facts.downloads.length;
        counts.copyButtons = facts.copyButtons;
        for (const image of facts.images) if (!image.ok) this.report("image", `${image.src}: ${image.why}`);
        for (const f of facts.fragments) if (!f.found) this.report("fragment", `${f.href}: no element with that id or name on this page`);
        if (facts.overflow) {
          const { scrollWidth, innerWidth, culprits } = facts.overflow;
          this.report("overflow", `scrolls sideways: ${scrollWidth}px wide in a ${innerWidth}px viewport${culprits.length ? ` (${culprits.join(", ")})` : ""}`);
        }
        if (this.options.links) counts.links = await this.checkLinks(url, facts.links);
        lap("links");
        await this.checkDownloads(facts.downloads);
        for (const miss of facts.copyMisses) this.report("copy", miss);
        if (facts.copyButtons > 0 && this.copyPagesClicked < this.options.copyButtonPages) {
          this.copyPagesClicked++;
          await this.checkCopyButtons(facts.copyButtons);
        }
        lap("snippets");
      }
    } catch (error) {
      this.navigating = false;
      this.report("status", `could not be checked: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
    }
    return { url, status, problems: this.current, ms: performance.now() - started, counts, phases };
  }

  /** Links to other pages of the site: each answers 200 and has the element its fragment names. */
  private async checkLinks(pageUrl: string, links: [string, string][]): Promise<number> {
    const here = new URL(pageUrl);
    const items: { href: string; target: string; fragment: string }[] = [];
    for (const [check, href] of links) {
      const url = new URL(check);
      if (url.origin === here.origin && url.pathname === here.pathname && url.search === here.search) continue; // checked in the DOM
      items.push({ href, target: `${url.origin}${url.pathname}${url.search}`, fragment: url.hash.slice(1) });
    }
    const wantAnchors = new Set(items.filter((i) => i.fragment && i.fragment.toLowerCase() !== "top").map((i) => i.target));
    const targets = [...new Set(items.map((i) => i.target))];
    const answers = new Map(await Promise.all(targets.map(async (t) => [t, await this.answer(t, wantAnchors.has(t))] as const)));
    // The ids of every linked page not read yet, parsed by the browser in one round trip.
    const unread = [...wantAnchors].filter((t) => !this.cache.anchors.has(t) && answers.get(t)!.status === 200 && answers.get(t)!.html !== undefined);
    if (unread.length) {
      const parsed = this.page
        .evaluate(inPage(`anchorsOfMany(${JSON.stringify(unread.map((t) => answers.get(t)!.html))})`))
        .then((lists) => {
          for (const t of unread) answers.get(t)!.html = undefined; // read: let the text go
          return lists as string[][];
        })
        .catch((error: unknown) => {
          for (const t of unread) this.cache.anchors.delete(t); // the next page asks again
          throw error;
        });
      unread.forEach((t, i) => {
        const anchors = parsed.then((lists) => new Set(lists[i]));
        anchors.catch(() => undefined); // awaited below; a failure must not also be an unhandled rejection
        this.cache.anchors.set(t, anchors);
      });
    }
    for (const { href, target, fragment } of items) {
      const answer = answers.get(target)!;
      if (answer.status !== 200) {
        this.report("link", `${href}: ${answer.error ?? `HTTP ${answer.status}`}`);
        continue;
      }
      if (!wantAnchors.has(target) || !fragment || fragment.toLowerCase() === "top") continue;
      const anchors = await this.cache.anchors.get(target);
      if (!anchors) continue; // not an HTML page: its fragments are not ours to check
      let decoded = fragment;
      try {
        decoded = decodeURIComponent(fragment);
      } catch {
        // keep it as written
      }
      if (!anchors.has(fragment) && !anchors.has(decoded)) this.report("link", `${href}: no element with id or name "${decoded}" on ${target}`);
    }
    return links.length;
  }

  /** The status of a URL of the site, and its HTML when its anchors are wanted (fetched once per cache). */
  private answer(url: string, wantHtml: boolean): Promise<LinkAnswer> {
    const cached = this.cache.answers.get(url);
    if (cached && (!wantHtml || this.cache.anchors.has(url))) return cached;
    const answer = (async (): Promise<LinkAnswer> => {
      const previous = cached ? await cached : undefined;
      if (previous && (previous.status !== 200 || !previous.isHtml || previous.html !== undefined)) return previous;
      const response = await this.page.request.get(url, { failOnStatusCode: false, maxRedirects: 5 });
      const status = response.status();
      const isHtml = (response.headers()["content-type"] ?? "").includes("html");
      const html = wantHtml && status === 200 && isHtml ? await response.text() : undefined;
      await response.dispose();
      return { status, isHtml, html };
    })().catch((error: unknown): LinkAnswer => ({ status: 0, isHtml: false, error: error instanceof Error ? error.message.split("\n")[0] : String(error) }));
    this.cache.answers.set(url, answer);
    return answer;
  }

  /** `<figure>` with code and an `a[download]`: the file must hold the block's text (all fetched at once). */
  private async checkDownloads(downloads: PageFacts["downloads"]): Promise<void> {
    await Promise.all(
      downloads.map(async (d) => {
        const response = await this.page.request.get(d.href, { failOnStatusCode: false });
        const status = response.status();
        const body = status === 200 ? (await response.body()).toString("utf8") : "";
        await response.dispose();
        if (status !== 200) this.report("download", `${d.href}: HTTP ${status}`);
        else if (!downloadMatches(body, d.code)) {
          this.report("download", `${d.href}: the file (${body.length} chars) is not the code block #${d.index + 1} shown (${d.code.length} chars)${firstDifference(body, d.code)}`);
        }
      }),
    );
  }

  /** `button[data-copy]` in a `<figure>`: a click puts the block's text on the clipboard. */
  private async checkCopyButtons(count: number): Promise<void> {
    const n = Math.min(count, this.options.copyButtonsPerPage);
    if (n === 0) return;
    if (!this.clipboardGranted) {
      await this.page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(this.page.url()).origin });
      this.clipboardGranted = true;
    }
    const buttons = this.page.locator("figure button[data-copy]");
    for (let i = 0; i < n; i++) {
      // The element the button names (data-copy="<id>"), else the figure's code.
      const expected = (await this.page.evaluate(
        `(() => { const b = document.querySelectorAll("figure button[data-copy]")[${i}];
          const named = b && b.dataset.copy && document.getElementById(b.dataset.copy);
          const code = named || (b && (b.closest("figure").querySelector("pre code") || b.closest("figure").querySelector("code")));
          return code ? code.textContent : ""; })()`,
      )) as string;
      await this.page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(SENTINEL)})`);
      try {
        await buttons.nth(i).click({ timeout: 3_000 });
      } catch (error) {
        this.report("copy", `copy button ${i + 1} cannot be clicked: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
        continue;
      }
      let copied = SENTINEL;
      for (let attempt = 0; attempt < 20 && copied === SENTINEL; attempt++) {
        copied = (await this.page.evaluate("navigator.clipboard.readText()")) as string;
        if (copied === SENTINEL) await this.page.waitForTimeout(25);
      }
      if (copied === SENTINEL) this.report("copy", `copy button ${i + 1}: nothing was copied`);
      else if (!sameCode(copied, expected)) {
        this.report("copy", `copy button ${i + 1}: copied ${copied.length} chars, the block has ${expected.length}${firstDifference(copied, expected)}`);
      }
    }
  }
}

/**
 * Whether a downloaded snippet is the block shown: its text (exactly); for a Python REPL session (`>>> `) the code
 * typed at its prompts, for a shell transcript (`$ `) its commands — there, blank and comment-only lines may be
 * left out of the file, so they are not compared.
 */
export function downloadMatches(file: string, shown: string): boolean {
  if (sameCode(file, shown)) return true;
  const lines = shown.replace(/\r\n/g, "\n").split("\n");
  const first = lines.find((l) => l.trim() !== "") ?? "";
  let typed: string[] | undefined;
  if (first.startsWith(">>>")) typed = lines.filter((l) => /^(>>>|\.\.\.)( |$)/.test(l)).map((l) => l.replace(/^(>>>|\.\.\.) ?/, ""));
  else if (first.startsWith("$ ")) typed = lines.filter((l) => l.startsWith("$ ")).map((l) => l.slice(2));
  if (!typed) return false;
  const significant = (xs: string[]) => xs.filter((l) => l.trim() !== "" && !/^\s*#/.test(l)).map((l) => l.replace(/\s+$/, ""));
  const a = significant(file.replace(/\r\n/g, "\n").split("\n"));
  const b = significant(typed);
  return a.length > 0 && a.length === b.length && a.every((l, i) => l === b[i]);
}

/** Equal, or equal but for one final newline (a file ends with one; a displayed block may not). */
export function sameCode(a: string, b: string): boolean {
  const trim = (s: string) => s.replace(/\r\n/g, "\n").replace(/\n$/, "");
  return a === b || trim(a) === trim(b);
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return "";
  return `; first difference at char ${i}: ${JSON.stringify(a.slice(i, i + 20))} vs ${JSON.stringify(b.slice(i, i + 20))}`;
}

