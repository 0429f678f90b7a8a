// Parsed notes → the site model the layouts render: post pages, standalone pages, listings, term indexes,
// files to copy. Computed once per build; each page gets exactly the values its layout prints.
import path from "node:path";
import type { Diagnostic, HexoConfig } from "./types.ts";
import type { BlogFiles } from "./read.ts";
import { parseNote, type ParsedNote, type ParseContext } from "./notes.ts";
import type { NoteRenderer } from "./render.ts";
import { memoryBodyStore, type BodyRef, type BodyStore } from "./body-store.ts";
import { finishExtensions, storeRendered, type StoredNote } from "./rendered-notes.ts";
import { homePages, archivePages, termPages, archiveTree, type ListedPost, type ListingPage } from "./listings.ts";
import { urlFor, fullUrlFor, routeFor } from "./permalink.ts";
import { formatDisplayDate } from "./dates.ts";
import { labelsFor, type Labels } from "./i18n.ts";
import type { GeneratedFile, NotesExtension } from "./extensions.ts";
import { tableOfContents, tocSize, type TocEntry } from "./toc.ts";
import { lastChanges, type LastChanges } from "./git-history.ts";
import { licenseOf, noteLicense, type License } from "./license.ts";

export interface LinkView {
  name: string;
  url: string;
}

export interface PostView {
  kind: "post" | "page";
  source: string;
  title: string;
  /** Output file relative to the output folder (raw UTF-8). */
  route: string;
  /** Href (percent-encoded, with the site root). */
  url: string;
  permalink: string;
  /** The permalink as a reader reads it (UTF-8, not percent-encoded). */
  permalinkText: string;
  lang: string;
  dateIso: string;
  dateText: string;
  updatedIso?: string;
  updatedText?: string;
  /** One breadcrumb trail per category hierarchy. */
  categories: LinkView[][];
  tags: LinkView[];
  /** The rendered note, read from the build's body store when printed (not enumerable: JSON of a view leaves it out). */
  readonly html: string;
  /** Digest of `html`: what incremental builds compare instead of the HTML itself. */
  htmlDigest: string;
  excerptHtml: string;
  /** The first paragraph, shown in listings when there is no excerpt. */
  summaryHtml: string;
  /** The two outermost heading levels, nested and numbered (toc.ts). */
  toc: TocEntry[];
  /** Entries in `toc` at every level. */
  tocSize: number;
  readingMinutes: number;
  /** CJK characters plus other words (reading.ts), and the same as text in the page's language ("3,245"). */
  words: number;
  wordsText: string;
  /** The licence line: from the note's `license:`/`copyright:`, else the site's; none when neither says. */
  license?: License;
  usesMath: boolean;
  /** HTML lines shown under the title, added by extensions (e.g. the snippets summary). */
  notices: string[];
  /** Hexo's names: `prev` is the newer neighbour, `next` the older one. */
  prev?: { title: string; url: string };
  next?: { title: string; url: string };
  sticky: number;
  /** `layout: false` in front matter: the bare content, no theme (Hexo §14.1). */
  bare: boolean;
}

export interface PostSummary {
  title: string;
  url: string;
  dateIso: string;
  dateText: string;
  /** The excerpt before `<!-- more -->`, else the first paragraph. */
  excerptHtml: string;
  /** Whether the page has a `#more` anchor to continue reading from. */
  hasMore: boolean;
  categories: LinkView[];
  sticky: number;
}

export interface ListingView {
  kind: ListingPage["kind"];
  route: string;
  url: string;
  permalink: string;
  title: string;
  heading: string;
  showExcerpts: boolean;
  posts: PostSummary[];
  current: number;
  total: number;
  prevUrl?: string;
  nextUrl?: string;
  /** Notes in the whole listing (every page of it). */
  count: number;
  /** Archive pages: this page's notes by year and month, each linked to its year or month page, with counts. */
  groups?: ArchiveGroup[];
  /** Archive pages: every year and month with notes, for the overview at the top. */
  years?: ArchiveYearView[];
}

export interface ArchiveYearView {
  name: string;
  url: string;
  count: number;
  months: { name: string; url: string; count: number }[];
}

export interface ArchiveGroup {
  name: string;
  url: string;
  count: number;
  months: { name: string; url: string; count: number; posts: PostSummary[] }[];
}

export interface TermNode {
  name: string;
  url: string;
  count: number;
  children: TermNode[];
}

export interface TermsView {
  kind: "category" | "tag";
  route: string;
  url: string;
  permalink: string;
  heading: string;
  nodes: TermNode[];
}

export interface SiteView {
  title: string;
  subtitle: string;
  description: string;
  author: string;
  language: string;
  url: string;
  root: string;
  archivesUrl: string;
  categoriesUrl: string;
  tagsUrl: string;
}

export interface RenderLists {
  themedPosts: PostView[];
  themedPages: PostView[];
  barePosts: PostView[];
  listings: ListingView[];
  terms: TermsView[];
}

export interface SiteModel {
  site: SiteView;
  t: Labels;
  posts: PostView[];
  pages: PostView[];
  listings: ListingView[];
  terms: TermsView[];
  /**
   * The pages Eleventy renders this build: all of them, or only those whose values changed when the output folder
   * holds the rest (incremental.ts). Posts and pages are split by whether a layout wraps them (`layout: false` →
   * bare). The feed and the sitemap read the full lists.
   */
  render: RenderLists;
  /** Files copied as they are: static files, post assets, local images. */
  copies: { from: string; to: string }[];
  /** Files made by extensions (e.g. snippet downloads), relative to the output folder. */
  files: GeneratedFile[];
  /** Data of each extension by name (e.g. the snippets report). */
  extensions: Record<string, unknown>;
  /** Posts by Hexo path, for the feed and sitemap. */
  feed: PostView[];
  /** For link checks: each note's page route → its source file and the links written in it, with lines. */
  sources: Record<string, { source: string; links: { href: string; line: number }[] }>;
  diagnostics: Diagnostic[];
  counts: { notes: number; drafts: number; pages: number; listings: number };
}

export interface BuildSiteInput {
  blog: BlogFiles;
  extensions?: NotesExtension[];
  config: HexoConfig;
  parse: ParseContext;
  /** Makes the renderer once the notes are known (tag plugins look up other notes). */
  makeRenderer: (notes: ParsedNote[], assetsOf: (note: ParsedNote) => Map<string, string>) => NoteRenderer;
  /** When each note last changed (git-history.ts); read from the blog's git history when not given. */
  lastChanges?: LastChanges;
  /**
   * Parsed notes of an earlier build with the same parse context, by file and text (`npm start` rebuilds parse only
   * the edited notes). Read and filled here; parsed notes are never changed after parsing.
   */
  parsedBefore?: Map<string, ReturnType<typeof parseNote>>;
  /** Where the notes' HTML is kept until the pages print it (default: in memory). */
  bodies?: BodyStore;
}

export async function buildSite(input: BuildSiteInput): Promise<SiteModel> {
  const { blog, config, parse, makeRenderer, extensions = [], parsedBefore, bodies = memoryBodyStore() } = input;
  const history = input.lastChanges ?? (await lastChanges(blog.sourceDir));
  const diagnostics: Diagnostic[] = [...blog.diagnostics];
  const parsed: ParsedNote[] = [];
  const used = new Set<string>();
  for (const file of blog.files) {
    if (file.kind !== "post" && file.kind !== "draft" && file.kind !== "page") continue;
    const memoKey = `${file.kind}\0${file.rel}\0${file.birthtime.getTime()}\0${file.mtime.getTime()}\0${file.text}`;
    const result = parsedBefore?.get(memoKey) ?? parseNote(file, parse);
    used.add(memoKey);
    diagnostics.push(...result.diagnostics);
    if (result.note) parsed.push(result.note);
    parsedBefore?.set(memoKey, result);
  }
  for (const key of parsedBefore?.keys() ?? []) if (!used.has(key)) parsedBefore!.delete(key); // notes edited or gone
  const visible = rejectDuplicateRoutes(parsed.filter((n) => n.visible), diagnostics);
  const posts = visible.filter((n) => n.kind === "post").sort((a, b) => b.date.getTime() - a.date.getTime());
  const pages = visible.filter((n) => n.kind === "page");

  const assets = postAssets(blog, posts, config);
  const render = makeRenderer(visible, (note) => assets.byNote.get(note) ?? new Map());
  const displayZone = config.timezone || parse.permalinkTimezone;
  const views = new Map<ParsedNote, PostView>();
  const sources: SiteModel["sources"] = {};
  const html = htmlGetter(bodies);
  // One note at a time: its HTML goes to the store as soon as it is rendered.
  const rendered = new Map<ParsedNote, StoredNote>(visible.map((note) => [note, storeRendered(render(note), bodies)]));
  const finished = await finishExtensions(extensions, rendered, config, bodies);
  const siteLicense = licenseOf(config.license) ?? undefined;
  for (const note of visible) {
    const out = rendered.get(note)!;
    const lang = note.lang ?? config.language;
    const stats = out.stats;
    const body = finished.bodies.get(note.source)!;
    const toc = tableOfContents(out.headings);
    const updated = updatedOf(note, history.get(note.source), config);
    diagnostics.push(...out.diagnostics.map((d) => ({ ...d, file: d.file || note.source })));
    sources[note.route] = { source: note.source, links: out.links };
    const view = {
      kind: note.kind,
      source: note.source,
      title: unshared(note.title),
      route: note.route,
      url: urlFor(note.path, config),
      permalink: fullUrlFor(note.path, config),
      permalinkText: readableUrl(fullUrlFor(note.path, config)),
      lang,
      dateIso: note.date.toISOString(),
      dateText: formatDisplayDate(note.date, displayZone),
      updatedIso: updated?.toISOString(),
      updatedText: updated ? formatDisplayDate(updated, displayZone) : undefined,
      categories: trails(note, config),
      tags: note.tags.map((t) => ({ name: unshared(t.name), url: urlFor(t.path, config) })),
      htmlDigest: body.digest,
      excerptHtml: out.excerpt,
      summaryHtml: out.summary,
      toc,
      tocSize: tocSize(toc),
      readingMinutes: stats.minutes,
      words: stats.words,
      wordsText: formatCount(stats.words, lang),
      license: note.kind === "post" ? unsharedLicense(noteLicense(note.data, siteLicense)) : undefined,
      usesMath: out.usesMath,
      notices: finished.notices.get(note.source) ?? [],
      sticky: note.sticky,
      bare: note.data.layout === false || note.data.layout === "false",
    };
    views.set(note, html.define(view, body));
  }
  const postViews = posts.map((n) => views.get(n)!);
  // Hexo: prev is the newer neighbour, next the older one (§14.1).
  postViews.forEach((view, i) => {
    const newer = postViews[i - 1];
    const older = postViews[i + 1];
    if (newer) view.prev = { title: newer.title || newer.url, url: newer.url };
    if (older) view.next = { title: older.title || older.url, url: older.url };
  });

  const t = labelsFor(config.language);
  const listed: ListedPost[] = posts.map((n) => ({
    key: n.source,
    date: n.date,
    sticky: n.sticky,
    hidden: n.hidden,
    categories: n.categories.map((c) => ({ name: c.name, path: c.path })),
    tags: n.tags.map((tag) => ({ name: tag.name, path: tag.path })),
  }));
  const bySource = new Map(posts.map((n) => [n.source, n]));
  const listingPages = [...homePages(listed, config), ...archivePages(listed, config, parse.permalinkTimezone), ...termPages(listed, config)];
  const archive = archiveView(archiveTree(listed, config, parse.permalinkTimezone), config, t);
  // One summary a note, shared by every listing that shows it (a note is in about seven: home, archives, terms).
  const summaries = new Map<ParsedNote, PostSummary>();
  const listings = listingPages.map((page) => listingView(page, bySource, views, summaries, config, t, archive));
  // A blog's own page at categories/ or tags/ (common with NexT) wins over the generated index.
  const pageRoutes = new Set(pages.map((p) => p.route));
  const terms = termIndexes(posts, config, t).filter((view) => !pageRoutes.has(view.route));

  const site: SiteView = {
    title: config.title,
    subtitle: config.subtitle,
    description: config.description,
    author: config.author,
    language: config.language,
    url: config.url,
    root: urlFor("/", config),
    archivesUrl: urlFor(`${config.archive_dir}/`, config),
    categoriesUrl: urlFor(`${config.category_dir}/`, config),
    tagsUrl: urlFor(`${config.tag_dir}/`, config),
  };
  const pageViews = pages.map((n) => views.get(n)!);
  const copies = [
    ...blog.files.filter((f) => f.kind === "static").map((f) => ({ from: f.abs, to: f.rel })),
    ...assets.copies,
  ];
  return {
    site,
    t,
    posts: postViews,
    pages: pageViews,
    listings,
    terms,
    render: {
      themedPosts: postViews.filter((v) => !v.bare),
      themedPages: pageViews.filter((v) => !v.bare),
      barePosts: [...postViews, ...pageViews].filter((v) => v.bare),
      listings,
      terms,
    },
    copies,
    feed: postViews,
    files: finished.files,
    extensions: finished.data,
    sources,
    diagnostics: [...diagnostics, ...finished.diagnostics],
    counts: {
      notes: posts.length,
      drafts: parsed.filter((n) => n.isDraft).length,
      pages: pages.length,
      listings: listings.length + terms.length,
    },
  };
}

/**
 * A copy of a string taken from a note's text. V8 makes a substring a slice that keeps the whole text alive: a view
 * that holds a note's title would hold the note's file until the build ends.
 */
function unshared(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function unsharedLicense(license: License | undefined): License | undefined {
  return license && (JSON.parse(JSON.stringify(license)) as License);
}

/** A view's `html` getter, made here so that it keeps only the store and the body, not the note it was made beside. */
/**
 * A view's `html`, read from the body store when a page prints it. One getter for every view of the build, which
 * finds the view's body by the view: V8 turns an object given a getter of its own into a slow dictionary of ~5 KB
 * (5 MB per 1,000 notes held until the build ends, issue 16), while views sharing one getter share one shape.
 */
function htmlGetter(bodies: BodyStore) {
  const bodyOf = new WeakMap<object, BodyRef>();
  function get(this: object): string {
    return bodies.get(bodyOf.get(this)!);
  }
  return {
    define<T extends object>(view: T, body: BodyRef): T & { html: string } {
      bodyOf.set(view, body);
      return Object.defineProperty(view, "html", { get, enumerable: false }) as T & { html: string };
    },
  };
}

/** Two notes at one URL: the first (by source path) keeps it, the other is an error and left out. */
function rejectDuplicateRoutes(notes: ParsedNote[], diagnostics: Diagnostic[]): ParsedNote[] {
  const seen = new Map<string, ParsedNote>();
  const kept: ParsedNote[] = [];
  for (const note of [...notes].sort((a, b) => (a.source < b.source ? -1 : 1))) {
    const owner = seen.get(note.route);
    if (owner) {
      diagnostics.push({
        severity: "error",
        file: note.source,
        message: `has the same URL as ${owner.source}: /${note.path}`,
        hint: "give one of them another file name, date, or a `permalink:` in its front matter",
      });
      continue;
    }
    seen.set(note.route, note);
    kept.push(note);
  }
  return kept;
}

function trails(note: ParsedNote, config: HexoConfig): LinkView[][] {
  // Each category with no child among the post's categories ends a trail; walk up its parents.
  const byslug = new Map(note.categories.map((c) => [c.slug, c]));
  const parents = new Set(note.categories.map((c) => c.parent).filter(Boolean));
  return note.categories
    .filter((c) => !parents.has(c.slug))
    .map((leaf) => {
      const trail: LinkView[] = [];
      for (let c: typeof leaf | undefined = leaf; c; c = c.parent ? byslug.get(c.parent) : undefined) {
        trail.unshift({ name: unshared(c.name), url: urlFor(c.path, config) });
      }
      return trail;
    });
}

function listingView(
  page: ListingPage,
  bySource: Map<string, ParsedNote>,
  views: Map<ParsedNote, PostView>,
  summaries: Map<ParsedNote, PostSummary>,
  config: HexoConfig,
  t: Labels,
  archive: ArchiveView,
): ListingView {
  const title =
    page.kind === "home"
      ? ""
      : page.kind === "archive"
        ? page.month
          ? t.archiveYear.replace("%s", `${t.yearHeading.replace("%s", String(page.year))} ${t.months[page.month - 1]}`)
          : page.year
            ? t.archiveYear.replace("%s", t.yearHeading.replace("%s", String(page.year)))
            : t.archiveHeading
        : (page.kind === "category" ? t.categoryHeading : t.tagHeading).replace("%s", page.name ?? "");
  const posts: PostSummary[] = page.postKeys.map((key) => {
    const note = bySource.get(key)!;
    let summary = summaries.get(note);
    if (!summary) {
      const view = views.get(note)!;
      summary = {
        title: view.title,
        url: view.url,
        dateIso: view.dateIso,
        dateText: view.dateText,
        excerptHtml: view.excerptHtml || view.summaryHtml,
        hasMore: Boolean(view.excerptHtml),
        categories: view.categories.map((trail) => trail[trail.length - 1]).filter(Boolean),
        sticky: view.sticky,
      };
      summaries.set(note, summary);
    }
    return summary;
  });
  return {
    kind: page.kind,
    route: routeFor(page.path),
    url: urlFor(page.path, config),
    permalink: fullUrlFor(page.path, config),
    title: page.current > 1 ? `${title || config.title} (${page.current})` : title,
    heading: title,
    showExcerpts: page.kind === "home",
    posts,
    current: page.current,
    total: page.total,
    prevUrl: page.prevPath !== undefined ? urlFor(page.prevPath, config) : undefined,
    nextUrl: page.nextPath !== undefined ? urlFor(page.nextPath, config) : undefined,
    count: page.count,
    ...(page.kind === "archive" ? { groups: archiveGroups(page.postKeys, posts, archive), years: archive.years } : {}),
  };
}

interface ArchiveView {
  years: ArchiveYearView[];
  /** Month path → its year and month views. */
  months: Map<string, { year: ArchiveYearView; month: ArchiveYearView["months"][number] }>;
  /** Post key → month path. */
  monthOf: Map<string, string>;
}

/** The archive's years and months as the layouts print them: names in the site's language, links, counts. */
function archiveView({ years, monthOf }: ReturnType<typeof archiveTree>, config: HexoConfig, t: Labels): ArchiveView {
  const months: ArchiveView["months"] = new Map();
  const views = years.map((y) => {
    const year: ArchiveYearView = { name: t.yearHeading.replace("%s", String(y.year)), url: urlFor(y.path, config), count: y.count, months: [] };
    for (const m of y.months) {
      const month = { name: t.months[m.month - 1], url: urlFor(m.path, config), count: m.count };
      year.months.push(month);
      months.set(m.path, { year, month });
    }
    return year;
  });
  return { years: views, months, monthOf };
}

/** A page of the archives split by year and month (posts come newest first, so each month is one run). */
function archiveGroups(keys: string[], posts: PostSummary[], archive: ArchiveView): ArchiveGroup[] {
  const groups: ArchiveGroup[] = [];
  keys.forEach((key, i) => {
    const { year, month } = archive.months.get(archive.monthOf.get(key)!)!;
    let group = groups[groups.length - 1];
    if (group?.url !== year.url) groups.push((group = { name: year.name, url: year.url, count: year.count, months: [] }));
    let run = group.months[group.months.length - 1];
    // a literal, not `{ ...month }`: a spread copy gets a shape of its own, which freezing then keeps per object
    if (run?.url !== month.url) group.months.push((run = { name: month.name, url: month.url, count: month.count, posts: [] }));
    run.posts.push(posts[i]);
  });
  return groups;
}

function termIndexes(posts: ParsedNote[], config: HexoConfig, t: Labels): TermsView[] {
  const categories = new Map<string, TermNode & { parent?: string }>();
  const tags = new Map<string, TermNode>();
  for (const post of posts) {
    for (const c of post.categories) {
      const node = categories.get(c.slug) ?? { name: c.name, url: urlFor(c.path, config), count: 0, children: [], parent: c.parent };
      node.count++;
      categories.set(c.slug, node);
    }
    for (const tag of post.tags) {
      const node = tags.get(tag.path) ?? { name: tag.name, url: urlFor(tag.path, config), count: 0, children: [] };
      node.count++;
      tags.set(tag.path, node);
    }
  }
  const roots: TermNode[] = [];
  for (const node of categories.values()) {
    const parent = node.parent ? categories.get(node.parent) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const collator = collatorFor(config.language);
  const byName = (a: TermNode, b: TermNode) => collator.compare(a.name, b.name);
  const sortTree = (nodes: TermNode[]) => nodes.sort(byName).forEach((n) => sortTree(n.children));
  sortTree(roots);
  const tagNodes = [...tags.values()].sort(byName);
  return [
    { kind: "category", route: routeFor(`${config.category_dir}/`), url: urlFor(`${config.category_dir}/`, config), permalink: fullUrlFor(`${config.category_dir}/`, config), heading: t.categories, nodes: roots.map(strip) },
    { kind: "tag", route: routeFor(`${config.tag_dir}/`), url: urlFor(`${config.tag_dir}/`, config), permalink: fullUrlFor(`${config.tag_dir}/`, config), heading: t.tags, nodes: tagNodes },
  ];
}

/** The site's collation (pinyin order for zh-CN, stroke order for zh-TW); the default one for a tag Intl does not know. */
function collatorFor(language: string): Intl.Collator {
  try {
    return new Intl.Collator(language.replace(/_/g, "-"), { numeric: true });
  } catch {
    return new Intl.Collator(undefined, { numeric: true });
  }
}

function readableUrl(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

/** A count in the page's language ("3,245"). */
function formatCount(n: number, language: string): string {
  try {
    return n.toLocaleString(language.replace(/_/g, "-"));
  } catch {
    return n.toLocaleString("en");
  }
}

/** Front matter `updated:` wins; then the last commit that changed the note; then `updated_option: date`. */
function updatedOf(note: ParsedNote, committed: Date | undefined, config: HexoConfig): Date | undefined {
  if (note.data.updated !== undefined && note.data.updated !== null && note.updated) return note.updated;
  if (config.updated_option === "empty") return undefined;
  return committed ?? note.updated;
}

function strip(node: TermNode & { parent?: string }): TermNode {
  return { name: node.name, url: node.url, count: node.count, children: node.children.map(strip) };
}

/** Post asset folders (§10.9): `_posts/a.md` owns `_posts/a/**`, copied next to the post's page. */
function postAssets(blog: BlogFiles, posts: ParsedNote[], config: HexoConfig) {
  const byNote = new Map<ParsedNote, Map<string, string>>();
  const copies: { from: string; to: string }[] = [];
  if (!config.post_asset_folder) return { byNote, copies };
  const owners = new Map(posts.map((p) => [p.source.replace(/\.[^./]+$/, "/"), p]));
  for (const file of blog.files) {
    if (file.kind !== "asset") continue;
    for (const [dir, note] of owners) {
      if (!file.rel.startsWith(dir)) continue;
      const name = file.rel.slice(dir.length);
      const target = path.posix.join(note.path.replace(/\.html?$/, ""), name);
      copies.push({ from: file.abs, to: target });
      const map = byNote.get(note) ?? new Map<string, string>();
      map.set(name, urlFor(target, config));
      byNote.set(note, map);
      break;
    }
  }
  return { byNote, copies };
}
