// How `npm run verify` (and the verification benchmark) reads a note: Hexo's front matter, then the site's own
// markdown-it and Hexo's tag pass, so that the snippets are the blocks the pages show.
import { parseFrontMatter } from "../plugins/hexo/frontmatter.ts";
import fs from "node:fs";
import path from "node:path";
import type { MarkdownIt, StateCore, Token } from "markdown-it";
import { readHexoBlog, readNoteText, readNotesFolder, type ReadOptions } from "../plugins/hexo/read.ts";
import { defaultSplitFrontMatter, type BodyParser, type FrontMatterSplitter } from "../plugins/snippets/options.ts";
import { noteDigest, type NoteInput } from "../plugins/snippets/verify.ts";
import { moduleSources, openStatIndex } from "./note-index.ts";

/**
 * The site's markdown-it (same fences as the pages, e.g. after `</br>` lines) and Hexo's tag pass, which turns
 * `{% codeblock %}` into a fence, keeping line numbers (links are not needed here). Loaded only when a note
 * needs parsing: a warm run that hits the cache never loads it.
 * `fences` (the default) gives the tokens snippet extraction reads, exactly as the page's parse has them, at a
 * third of its cost (see fenceTokensOf); `page` is the page's own parse, for comparing the two.
 */
export async function loadNoteParser(mode: "fences" | "page" = "fences"): Promise<BodyParser> {
  const { createMarkdown } = await import("../plugins/markdown/create-markdown.ts");
  const { expandTags } = await import("../plugins/hexo/tags/expand.ts");
  const md = createMarkdown();
  const tags = {
    file: "",
    // the HTML of a block tag (`{% blockquote %}`) never reaches the Markdown, only its placeholder does
    renderMarkdown: (text: string) => (mode === "page" ? md.render(text) : ""),
    findPost: () => ({ title: "", url: "#" }),
    assetUrl: () => undefined,
    urlFor: (p: string) => p,
    fullUrlFor: (p: string) => p,
    readCodeFile: () => undefined,
    highlight: (code: string) => code,
  };
  // Hexo's tags all start with `{%`; a body without one is left as it is (`{{ }}`, `{# #}` are never evaluated).
  const markdown = (body: string) => (body.includes("{%") ? expandTags(body, 1, tags).markdown : body);
  if (mode === "page") return (body) => md.parse(markdown(body), {});
  const fences = fenceTokensOf(md);
  return (body) => fences(markdown(body));
}

/**
 * markdown-it's parse of a document, with inline content parsed only where snippet extraction reads it.
 * extractSnippets (plugins/snippets/extract.ts) reads the block tokens, and the inline text of a paragraph only
 * when it sits alone between two fences ("Output:"). So: the core rules up to the block parse run on the whole
 * document, the rest (inline, linkify, typography, task lists …) only on each inline token that is the one
 * between two consecutive fences, with the tokens the rules look at around it. The inline part of a full parse
 * changes no block token except through footnotes (definitions, fences included, move to the end in the order
 * of their references): a note with a footnote definition gets the full parse.
 * The same tokens where extraction looks: tests/fence-tokens.test.ts compares the snippets on tom89757 and on
 * generated notes.
 */
export function fenceTokensOf(md: MarkdownIt): (src: string) => Token[] {
  const rules = md.core.ruler.getRules("");
  // markdown-it keeps the names beside the functions, in the order getRules("") gives the enabled ones
  const names = (md.core.ruler as unknown as { __rules__: { name: string; enabled: boolean }[] }).__rules__.filter((r) => r.enabled).map((r) => r.name);
  const split = names.indexOf("inline");
  if (split < 0 || names.length !== rules.length) return (src) => md.parse(src, {});
  const blockRules = rules.slice(0, split);
  const inlineRules = rules.slice(split);
  const run = (list: typeof rules, src: string, env: StateCore["env"], tokens?: Token[]): Token[] => {
    const state = new md.core.State(src, md, env);
    if (tokens) state.tokens = tokens;
    for (const rule of list) rule(state);
    return state.tokens;
  };
  return (src) => {
    const env: StateCore["env"] = {};
    const tokens = run(blockRules, src, env);
    if (tokens.some((t) => t.type === "footnote_reference_open")) return run(inlineRules, src, env, tokens);
    let fence = -1;
    let inline = -1;
    let inlines = 0;
    for (let i = 0; i < tokens.length; i++) {
      const type = tokens[i].type;
      if (type === "inline") {
        inline = i;
        inlines++;
      } else if (type === "fence") {
        // task lists read the two tokens before an inline token (list item, paragraph)
        if (fence >= 0 && inlines === 1) run(inlineRules, src, env, tokens.slice(Math.max(0, inline - 2), inline + 2));
        fence = i;
        inlines = 0;
      }
    }
    return tokens;
  };
}
export const NOTE_PARSER_ID = "verinotes createMarkdown + hexo tags";

/** Hexo's front matter when it parses, else the minimal splitter (a broken front matter is reported by the site). */
export const hexoSplitter: FrontMatterSplitter = (text) => {
  const plain = plainFrontMatterSplit(text);
  if (plain) return plain;
  const r = parseFrontMatter(text.replace(/\r\n/g, "\n"));
  if (r.ok) return { body: r.value.body, bodyLine: r.value.bodyLine };
  return defaultSplitFrontMatter(text);
};

// A front matter of plain `key: value` lines (and `- item` lists under a `key:`), which js-yaml reads as a mapping
// whatever the values are: the split is known without parsing the YAML, the costliest step of splitting a note
// (0.2 ms, of about 3.6 ms a note of a cold verify). Anything else (quotes, flow collections, anchors, tags,
// comments, nesting, tabs, duplicate keys, control characters) takes the full parse.
const KEY_LINE = /^([A-Za-z_][\w-]*):(?:$| +([^ \-?:,[\]{}#&*!|>'"%@`](?:[^:#\t[\]{}]|:(?! |$)|(?<! )#)*)?$)/;
const ITEM_LINE = /^( *)- +[^ \-?:,[\]{}#&*!|>'"%@`](?:[^:#\t[\]{}]|:(?! |$)|(?<! )#)*$/;
const NOT_PLAIN = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/;

/** Hexo's split of a note whose front matter is `---`-fenced plain lines (see KEY_LINE), or undefined. */
export function plainFrontMatterSplit(text: string): { body: string; bodyLine: number } | undefined {
  const source = (text.includes("\r") ? text.replace(/\r\n/g, "\n") : text).replace(/^\uFEFF/, "");
  if (!source.startsWith("---\n")) return undefined;
  // hexo-front-matter: /^(-{3,}|;{3,})\n([\s\S]+?)\n\1\n?([\s\S]*)/, the data at least one character
  const close = source.indexOf("\n---", 5);
  if (close < 0) return undefined;
  const data = source.slice(4, close);
  if (NOT_PLAIN.test(data)) return undefined;
  const keys = new Set<string>();
  let list: string | null = null; // the indentation of the list being read, "" after a `key:` with no value
  for (const line of data.split("\n")) {
    if (line.length > 512) return undefined;
    const key = KEY_LINE.exec(line);
    if (key) {
      if (keys.has(key[1])) return undefined; // a duplicate key is a YAML error
      keys.add(key[1]);
      list = key[2] === undefined ? "" : null;
      continue;
    }
    const item = ITEM_LINE.exec(line);
    if (!item || list === null || (list !== "" && list !== item[1]) || !keys.size) return undefined;
    list = item[1];
  }
  if (!keys.size) return undefined;
  const bodyStart = source[close + 4] === "\n" ? close + 5 : close + 4;
  let bodyLine = 1;
  for (let i = source.indexOf("\n"); i !== -1 && i < bodyStart; i = source.indexOf("\n", i + 1)) bodyLine++;
  return { body: source.slice(bodyStart), bodyLine };
}

/**
 * What notesOfSite read, handed on to the verifier: each note's text (so no file is read twice) and the front
 * matter it had to parse to decide the note's visibility (so none is parsed twice).
 */
export interface NoteReading {
  /** The text of a note, as notesOfSite read it; any other file is read now. */
  text(file: string): string;
  /** What the verifier gets: the text notesOfSite read, or for a note its stat index knows, its digest and a reader. */
  input(file: string): NoteInput;
  /** hexoSplitter, which reuses a front matter notesOfSite parsed. */
  split: FrontMatterSplitter;
  /** Filled by notesOfSite. */
  texts: Map<string, string>;
  digests: Map<string, string>;
  splits: Map<string, { body: string; bodyLine: number }>;
}

export function noteReading(): NoteReading {
  const texts = new Map<string, string>();
  const digests = new Map<string, string>();
  const splits = new Map<string, { body: string; bodyLine: number }>();
  // a note notesOfSite did not read because its stat index knows it: decoded as plugins/hexo/read.ts would have
  const text = (file: string) => texts.get(file) ?? (digests.has(file) ? readNoteText(file) : undefined) ?? fs.readFileSync(file, "utf8");
  return {
    texts,
    digests,
    splits,
    text,
    input: (file) => {
      const known = texts.get(file);
      return known !== undefined ? { file, text: known, digest: digests.get(file) } : { file, text: () => text(file), digest: digests.get(file) };
    },
    split: (text) => splits.get(text) ?? hexoSplitter(text),
  };
}

/**
 * Whether a note is on the site, decided without its front matter where that cannot change the answer (`plain`:
 * plainHead of its text, undefined when it is not UTF-8): a page
 * always is; a post is unless `published` says otherwise (absent, it is published), when future posts are shown
 * (Hexo's default). Drafts, `future: false` and a front matter that names `published` (or escapes a character
 * in a key) need the front matter. undefined = read it.
 */
function visibleUnread(kind: string, plain: boolean | undefined, config: { future: boolean; render_drafts: boolean }): boolean | undefined {
  if (kind === "page") return true;
  if (kind !== "post" || !config.future) return undefined;
  if (config.render_drafts || plain === undefined) return true; // a note that is not UTF-8 is checked, as one whose front matter cannot be read
  return plain ? true : undefined;
}

/** Whether the front matter cannot say `published` (see visibleUnread): a note the stat index may stand for. */
function plainHead(text: string): boolean {
  const head = frontMatterHead(text);
  return !head.includes("published") && !head.includes("\\");
}

/**
 * The text up to where Hexo's front matter ends at the latest: hexo-front-matter's split (see frontmatter.ts)
 * ends the data at the first `\n<opening separator>` after at least one character, or without an opening line,
 * at the first `\n---` or `\n;;;` after at least one character.
 */
function frontMatterHead(text: string): string {
  const source = (text.includes("\r") ? text.replace(/\r\n/g, "\n") : text).replace(/^\uFEFF/, "");
  const opening = /^(-{3,}|;{3,})\n/.exec(source);
  let end: number;
  if (opening) end = source.indexOf(`\n${opening[1]}`, opening[0].length + 1);
  else {
    const separator = /\n(?:---|;;;)/g;
    separator.lastIndex = 1;
    end = separator.exec(source)?.index ?? -1;
  }
  return end < 0 ? source : source.slice(0, end);
}

/**
 * The notes `npm run verify` checks: the ones the site renders, found the way the build finds them (posts, drafts
 * when `render_drafts` is on, standalone pages; nothing in a `_` folder, nothing unpublished or in the future unless
 * `future` says so), so that verify and the build see one set of notes and share one cache (§8).
 * Their texts and the front matters parsed on the way go into `reading`.
 */
export async function notesOfSite(
  source: { hexo: string } | { input: string },
  reading: NoteReading = noteReading(),
  options: { statIndexDir?: string | null } = {},
): Promise<{ root: string; files: string[] }> {
  const { defaultHexoConfig, parseHexoConfig } = await import("../plugins/hexo/config.ts");
  const dir = "hexo" in source ? source.hexo : source.input;
  const configFile = path.join(dir, "_config.yml");
  const config = fs.existsSync(configFile) ? parseHexoConfig(fs.readFileSync(configFile, "utf8"), configFile).config : defaultHexoConfig();
  // a note whose stat the index knows is not read when its visibility needs no front matter (indexed notes have a
  // plain one): the verifier gets its digest, and reads it only if its result is not cached
  const index = options.statIndexDir ? openStatIndex(options.statIndexDir, dir, statIndexScheme()) : undefined;
  const stats = new Map<string, fs.Stats>();
  const readsText: ReadOptions["readsText"] = (note, stat) => {
    if (!index) return true;
    const digest = visibleUnread(note.kind, true, config) === true ? index.known(note.rel, stat) : undefined;
    if (digest === undefined) {
      stats.set(note.abs, stat);
      return true;
    }
    reading.digests.set(note.abs, digest);
    return false;
  };
  const blog = "hexo" in source ? readHexoBlog(dir, { postAssetFolder: config.post_asset_folder, readsText }) : readNotesFolder(dir, { readsText });
  const ctx = { config, permalinkTimezone: "UTC", now: new Date() };
  let parseNote: typeof import("../plugins/hexo/notes.ts").parseNote | undefined;
  const files: string[] = [];
  for (const f of blog.files) {
    if (f.kind !== "post" && f.kind !== "page" && f.kind !== "draft") continue;
    if (f.unread) {
      files.push(f.abs);
      continue;
    }
    if (f.text !== undefined) reading.texts.set(f.abs, f.text);
    const plain = f.text === undefined ? undefined : plainHead(f.text);
    const stat = stats.get(f.abs);
    if (index && stat && plain) {
      const digest = noteDigest(f.text!);
      reading.digests.set(f.abs, digest);
      index.record(f.rel, stat, digest);
    }
    if (!visibleUnread(f.kind, plain, config)) {
      parseNote ??= (await import("../plugins/hexo/notes.ts")).parseNote;
      const { note } = parseNote(f, ctx);
      if (note && f.text !== undefined) reading.splits.set(f.text, { body: note.body, bodyLine: note.bodyLine });
      if (note && !note.visible) continue; // a note whose front matter cannot be read is still checked
    }
    files.push(f.abs);
  }
  index?.save();
  return { root: blog.sourceDir, files: files.sort() };
}

/**
 * What the stat index's digests depend on besides the text: the code that decodes a note, decides which notes it
 * may stand for and digests them (its sources, so that the compiled CLI and the sources share one index).
 */
const statIndexScheme = (): string =>
  moduleSources([
    path.join(import.meta.dirname, "note-parser"),
    path.join(import.meta.dirname, "note-index"),
    path.join(import.meta.dirname, "../plugins/hexo/read"),
    path.join(import.meta.dirname, "../plugins/snippets/verify"),
  ]);
