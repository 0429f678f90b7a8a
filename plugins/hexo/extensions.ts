// How other plugins (verified snippets) take part in the notes pipeline without a second parse: they see the
// Markdown renderer once per build, collect values from each note's own tokens (cached with its render), and
// after every note is rendered may rewrite pages, add lines under a note's title, files and data.
import type UserConfig from "@11ty/eleventy/UserConfig";
import type { MarkdownIt, Token } from "markdown-it";
import type { Diagnostic } from "./types.ts";

/** What an extension is told of a note: where it lives and what it rendered. */
export interface NoteForExtension {
  /** Source path as in diagnostics (`_posts/a.md`). */
  source: string;
  /** Absolute path of the note file. */
  abs: string;
  /** Output file of the page (`2022/06/03/a/index.html`). */
  route: string;
  /** Href of the page (percent-encoded). */
  url: string;
  title: string;
  /** The page's language: the note's `lang`, else the site's `language`. */
  lang: string;
  /** The note's HTML as rendered (and rewritten by the extensions before this one); read from the store when asked for. */
  readonly html: string;
  /** What this extension's `collect` returned for the note. */
  collected: unknown;
}

/**
 * A file an extension adds to the output folder. Its bytes may be read from disk only when the writer asks for them
 * (`content` is then a getter), so that a build does not hold thousands of files until its end (issue 16).
 */
export interface GeneratedFile {
  /** Path relative to the output folder. */
  readonly to: string;
  /** The bytes (a string is written as UTF-8). */
  readonly content: string | Uint8Array;
  /** The SHA-1 of the bytes (hex), when the extension knows it: the writer then does not hash them again. */
  readonly digest?: string;
  /**
   * A file that holds exactly these bytes and is never changed (a store of files by digest): the writer hard-links
   * it into the output folder instead of writing the bytes, and never writes through such a link.
   */
  readonly linkFrom?: string;
}

export interface ExtensionResult {
  /** Replacement HTML by source. */
  html?: Record<string, string>;
  /**
   * Rewrites a note's HTML, called once per note after `finish`, one note at a time (what `html` does without
   * holding every note's HTML at once); returns the HTML it was given when it changes nothing.
   */
  rewriteHtml?(source: string, html: string): string;
  /** HTML lines shown under a note's title, by source (e.g. "7 snippets: 5 passed, 1 failed"). */
  notices?: Record<string, string>;
  /** Files written into the output folder. */
  files?: GeneratedFile[];
  /** Anything the extension's own pages need; available to layouts as `hexo.extensions.<name>`. */
  data?: unknown;
  diagnostics?: Diagnostic[];
}

export interface NotesExtension {
  /** Unique name; with `version`, part of the render cache key. */
  name: string;
  version: string;
  /** Called once per build with the Markdown renderer, before any note is rendered (e.g. to wrap the fence rule). */
  setupMarkdown?(md: MarkdownIt): void;
  /** Per note, from the tokens its page is rendered from. Must return JSON data: it is cached with the render. */
  collect?(note: { source: string; bodyLine: number }, tokens: Token[], env: Record<string, unknown>): unknown;
  /** After every note is rendered. */
  finish?(notes: NoteForExtension[]): Promise<ExtensionResult>;
}

/**
 * Event an extension's plugin emits at the start of each build (`eleventy.before`) with a JoinRequest; the notes
 * plugin listens. Every plugin's listeners are registered before any build starts, so the plugins may be added in
 * any order, and a plugin whose extension no notes plugin took knows it before a page is rendered.
 */
export const JOIN_EVENT = "verinotes.join";

export interface JoinRequest {
  extension: NotesExtension;
  /** Called by the notes plugin that takes the extension into its pipeline. */
  taken(): void;
}

/** Makes `extension` part of the notes pipeline of every build; a build without a notes plugin fails with why. */
export function joinNotesAtEachBuild(eleventyConfig: UserConfig, plugin: string, extension: NotesExtension): void {
  eleventyConfig.on("eleventy.before", async () => {
    let taken = false;
    const request: JoinRequest = { extension, taken: () => (taken = true) };
    await eleventyConfig.emit(JOIN_EVENT, request);
    if (!taken) {
      throw new Error(`${plugin}: no notes plugin took it; add the Hexo notes plugin (plugins/hexo) to the same Eleventy configuration, before or after it`);
    }
  });
}
