// Parsed note → HTML: Hexo tag plugins, one markdown-it parse (the same tokens the snippets plugin reads),
// placeholders filled, excerpt split (§7, §9, §10). The renderer is a value built once per build.
//
// Cache: a note's HTML depends on its own text and on what its tags looked up in the rest of the site (another
// note's URL and title, an asset's URL, an include_code file). The cache entry is keyed by the note's text and
// records those lookups with their answers; it is reused only while every lookup still gets the same answer, so
// a warm build neither scans tags nor parses Markdown, and an edit elsewhere re-renders exactly the notes it affects.
import crypto from "node:crypto";
import type { MarkdownIt, Token } from "markdown-it";
import type { Diagnostic } from "./types.ts";
import type { ParsedNote } from "./notes.ts";
import { expandTags, fillTagPlaceholders } from "./tags/expand.ts";
import type { TagContext } from "./tags/types.ts";
import { splitExcerpt } from "./excerpt.ts";
import { labelsFor } from "./i18n.ts";
import { readingStats, type ReadingStats } from "./reading.ts";
import type { NotesExtension } from "./extensions.ts";
import type { JsonCache } from "./json-cache.ts";

export interface Heading {
  level: number;
  id: string;
  text: string;
}

export interface RenderedNote {
  html: string;
  excerpt: string;
  /** For listings when the note has no excerpt: its first paragraph. */
  summary: string;
  headings: Heading[];
  /** Local image sources as written (the site copies and checks them). */
  localImages: string[];
  usesMath: boolean;
  /** Word count and reading time of the note's Markdown (cached with the render: counting is a few regex passes). */
  stats: ReadingStats;
  /** What each extension collected from the note's tokens, by extension name. */
  collected: Record<string, unknown>;
  /** Every URL the note's HTML points at, with the file line it was written on (for link checks). */
  links: { href: string; line: number }[];
  diagnostics: Diagnostic[];
}

export interface NoteRendererDeps {
  md: MarkdownIt;
  /** Builds the tag context for a note (post lookups, asset URLs, url_for…). */
  tagContextFor: (note: ParsedNote) => TagContext;
  extensions: NotesExtension[];
  /** Where renders are cached (json-cache.ts); no caching when undefined. */
  cache?: JsonCache;
  /** Anything besides the note that changes the HTML (config, versions): part of every cache key. */
  cacheSalt: string;
  /** The site's `language`: the labels inside a note's HTML (a note's `lang:` wins). */
  language: string;
}

export type NoteRenderer = (note: ParsedNote) => RenderedNote;

/** One question a note asked of the site while rendering, and the answer it got. */
type Lookup = [method: "findPost" | "assetUrl" | "readCodeFile", arg: string, answer: string];

interface CacheEntry {
  lookups: Lookup[];
  result: RenderedNote;
}

const mathPattern = /class="katex/;

export function createNoteRenderer(deps: NoteRendererDeps): NoteRenderer {
  const cache = deps.cache;
  return (note) => {
    const ctx = deps.tagContextFor(note);
    const key = cache ? cacheKey(deps.cacheSalt, note) : undefined;
    const cached = key ? cache!.get<CacheEntry>(key) : undefined;
    if (cached && cached.lookups.every(([method, arg, answer]) => answerOf(ctx, method, arg) === answer)) return cached.result;

    const lookups: Lookup[] = [];
    const result = renderNote(note, recording(ctx, lookups), deps);
    if (key) cache!.set(key, { lookups, result } satisfies CacheEntry);
    return detached(result);
  };
}

/**
 * The rendered note with its small values copied: V8 makes substrings slices that keep the whole string alive, and a
 * fresh render's excerpt, headings, links and snippets are slices of its HTML and of its Markdown, which a build
 * would then hold for every note until it ends. (A render read from the cache is fresh from JSON.parse already.)
 */
function detached(result: RenderedNote): RenderedNote {
  const { html, ...rest } = result;
  return { html, ...(JSON.parse(JSON.stringify(rest)) as Omit<RenderedNote, "html">) };
}

function renderNote(note: ParsedNote, ctx: TagContext, deps: NoteRendererDeps): RenderedNote {
  const expanded = expandTags(note.body, note.bodyLine, ctx);
  // Local images in a post asset folder resolve like asset_img does (Hexo's marked `postAsset`).
  const env: Record<string, unknown> = {
    file: note.source,
    bodyLine: note.bodyLine,
    resolveImage: (src: string) => ctx.assetUrl(src),
    headerLinkLabel: labelsFor(note.lang ?? deps.language).sectionLink,
  };
  const tokens = deps.md.parse(expanded.markdown, env);
  const collected: Record<string, unknown> = {};
  for (const ext of deps.extensions) if (ext.collect) collected[ext.name] = ext.collect(note, tokens, env);
  const rendered = deps.md.renderer.render(tokens, deps.md.options, env);
  const filled = fillTagPlaceholders(rendered, expanded.fragments);
  const { content, excerpt } = splitExcerpt(filled, note.data.excerpt);
  return {
    html: content,
    excerpt,
    summary: excerpt ? "" : firstParagraph(content),
    headings: (env.headings as Heading[] | undefined) ?? [],
    localImages: (env.localImages as string[] | undefined) ?? [],
    usesMath: mathPattern.test(content),
    stats: readingStats(note.body),
    collected,
    links: linksOf(env, expanded.fragments, note.bodyLine),
    diagnostics: [...expanded.diagnostics, ...((env.diagnostics as Diagnostic[] | undefined) ?? [])],
  };
}

/** The same context, writing down every lookup and its answer. */
function recording(ctx: TagContext, lookups: Lookup[]): TagContext {
  const record = <T>(method: Lookup[0], arg: string, value: T): T => {
    lookups.push([method, arg, answerText(method, value)]);
    return value;
  };
  return {
    ...ctx,
    findPost: (key) => record("findPost", key, ctx.findPost(key)),
    assetUrl: (name) => record("assetUrl", name, ctx.assetUrl(name)),
    readCodeFile: (rel) => record("readCodeFile", rel, ctx.readCodeFile(rel)),
  };
}

function answerOf(ctx: TagContext, method: Lookup[0], arg: string): string {
  return answerText(method, method === "findPost" ? ctx.findPost(arg) : method === "assetUrl" ? ctx.assetUrl(arg) : ctx.readCodeFile(arg));
}

function answerText(method: Lookup[0], value: unknown): string {
  if (value === undefined) return "";
  if (method === "readCodeFile") return crypto.createHash("sha1").update(String(value)).digest("hex");
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Links from the Markdown (collected by the links plugin) and from tag output, placed at the tag's line. */
function linksOf(env: Record<string, unknown>, fragments: string[], bodyLine: number): RenderedNote["links"] {
  const toFile = (line: number) => bodyLine + line - 1;
  const links = ((env.links as { href: string; line: number }[] | undefined) ?? []).map((l) => ({ href: l.href, line: toFile(l.line) }));
  for (const [n, line] of Object.entries((env.tagLines as Record<string, number> | undefined) ?? {})) {
    for (const m of (fragments[Number(n)] ?? "").matchAll(/\b(?:href|src)="([^"]*)"/g)) {
      links.push({ href: m[1].replace(/&amp;/g, "&"), line: toFile(line) });
    }
  }
  return links.sort((a, b) => a.line - b.line);
}

function firstParagraph(html: string): string {
  return /<p>[\s\S]*?<\/p>/.exec(html)?.[0] ?? "";
}

function cacheKey(salt: string, note: ParsedNote): string {
  const hash = crypto.createHash("sha256");
  hash.update(salt).update("\0").update(note.source).update("\0").update(String(note.bodyLine)).update("\0");
  hash.update(JSON.stringify(note.data.excerpt ?? null)).update("\0").update(note.body);
  return hash.digest("hex");
}


