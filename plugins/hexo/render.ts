// Parsed note → HTML: Hexo tag plugins, one markdown-it parse (the same tokens the snippets plugin reads),
// placeholders filled, excerpt split (§7, §9, §10). The renderer is a value built once per build.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { MarkdownIt, Token } from "markdown-it";
import type { Diagnostic } from "./types.ts";
import type { ParsedNote } from "./notes.ts";
import { expandTags, fillTagPlaceholders } from "./tags/expand.ts";
import type { TagContext } from "./tags/types.ts";
import { splitExcerpt } from "./excerpt.ts";

export interface Heading {
  level: number;
  id: string;
  text: string;
}

export interface RenderedNote {
  html: string;
  excerpt: string;
  more: string;
  /** For listings when the note has no excerpt: its first paragraph. */
  summary: string;
  headings: Heading[];
  /** Local image sources as written (the site copies and checks them). */
  localImages: string[];
  usesMath: boolean;
  diagnostics: Diagnostic[];
}

/** Hooks a note's parse offers to other plugins (the snippets plugin reads the tokens, decorates fences). */
export interface RenderHooks {
  /** Called with the note's tokens before they are rendered; may put values on `env` for renderer rules. */
  onTokens?: (note: ParsedNote, tokens: Token[], env: Record<string, unknown>) => void;
}

export interface NoteRendererDeps {
  md: MarkdownIt;
  /** Builds the tag context for a note (post lookups, asset URLs, url_for…). */
  tagContextFor: (note: ParsedNote) => TagContext;
  hooks?: RenderHooks;
  /** A folder for cached renders; skipped when undefined. */
  cacheDir?: string;
  /** Anything besides the note that changes the HTML (config, versions): part of every cache key. */
  cacheSalt: string;
}

export type NoteRenderer = (note: ParsedNote) => RenderedNote;

const mathPattern = /class="katex/;

export function createNoteRenderer(deps: NoteRendererDeps): NoteRenderer {
  return (note) => {
    const ctx = deps.tagContextFor(note);
    const expanded = expandTags(note.body, note.bodyLine, ctx);
    const key = deps.cacheDir && !deps.hooks?.onTokens ? cacheKey(deps.cacheSalt, note, expanded.markdown, expanded.fragments) : undefined;
    const cached = key ? readCache(deps.cacheDir!, key) : undefined;
    if (cached) return { ...cached, diagnostics: [...expanded.diagnostics, ...cached.diagnostics] };

    const env: Record<string, unknown> = { file: note.source, bodyLine: note.bodyLine };
    const tokens = deps.md.parse(expanded.markdown, env);
    deps.hooks?.onTokens?.(note, tokens, env);
    const rendered = deps.md.renderer.render(tokens, deps.md.options, env);
    const filled = fillTagPlaceholders(rendered, expanded.fragments);
    const { content, excerpt, more } = splitExcerpt(filled, note.data.excerpt);
    const result: RenderedNote = {
      html: content,
      excerpt,
      more,
      summary: excerpt ? "" : firstParagraph(content),
      headings: (env.headings as Heading[] | undefined) ?? [],
      localImages: (env.localImages as string[] | undefined) ?? [],
      usesMath: mathPattern.test(content),
      diagnostics: (env.diagnostics as Diagnostic[] | undefined) ?? [],
    };
    if (key) writeCache(deps.cacheDir!, key, result);
    return { ...result, diagnostics: [...expanded.diagnostics, ...result.diagnostics] };
  };
}

function firstParagraph(html: string): string {
  return /<p>[\s\S]*?<\/p>/.exec(html)?.[0] ?? "";
}

function cacheKey(salt: string, note: ParsedNote, markdown: string, fragments: string[]): string {
  const hash = crypto.createHash("sha256");
  hash.update(salt).update("\0").update(note.source).update("\0").update(String(note.bodyLine)).update("\0");
  hash.update(JSON.stringify(note.data.excerpt ?? null)).update("\0").update(markdown).update("\0");
  for (const f of fragments) hash.update(f).update("\0");
  return hash.digest("hex");
}

function readCache(dir: string, key: string): RenderedNote | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, key.slice(0, 2), `${key}.json`), "utf8")) as RenderedNote;
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, key: string, value: RenderedNote): void {
  const folder = path.join(dir, key.slice(0, 2));
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${key}.json`);
  // Write then rename, so a build killed half-way never leaves a torn entry behind.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}
