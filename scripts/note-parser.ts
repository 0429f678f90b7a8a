// How `npm run verify` (and the verification benchmark) reads a note: Hexo's front matter, then the site's own
// markdown-it and Hexo's tag pass, so that the snippets are the blocks the pages show.
import { parseFrontMatter } from "../plugins/hexo/frontmatter.ts";
import type { MarkdownIt, StateCore, Token } from "markdown-it";
import { defaultSplitFrontMatter, type BodyParser, type FrontMatterSplitter } from "../plugins/snippets/options.ts";

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
  const r = parseFrontMatter(text.replace(/\r\n/g, "\n"));
  if (r.ok) return { body: r.value.body, bodyLine: r.value.bodyLine };
  return defaultSplitFrontMatter(text);
};

/**
 * The notes `npm run verify` checks: the ones the site renders, found the way the build finds them (posts, drafts
 * when `render_drafts` is on, standalone pages; nothing in a `_` folder, nothing unpublished or in the future unless
 * `future` says so), so that verify and the build see one set of notes and share one cache (§8).
 */
export async function notesOfSite(source: { hexo: string } | { input: string }): Promise<{ root: string; files: string[] }> {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { readHexoBlog, readNotesFolder } = await import("../plugins/hexo/read.ts");
  const { defaultHexoConfig, parseHexoConfig } = await import("../plugins/hexo/config.ts");
  const { parseNote } = await import("../plugins/hexo/notes.ts");
  const dir = "hexo" in source ? source.hexo : source.input;
  const configFile = path.join(dir, "_config.yml");
  const config = fs.existsSync(configFile) ? parseHexoConfig(fs.readFileSync(configFile, "utf8"), configFile).config : defaultHexoConfig();
  const blog = "hexo" in source ? readHexoBlog(dir, { postAssetFolder: config.post_asset_folder }) : readNotesFolder(dir);
  const ctx = { config, permalinkTimezone: "UTC", now: new Date() };
  const files = blog.files
    .filter((f) => f.kind === "post" || f.kind === "page" || f.kind === "draft")
    .filter((f) => parseNote(f, ctx).note?.visible ?? true) // a note whose front matter cannot be read is still checked
    .map((f) => f.abs)
    .sort();
  return { root: blog.sourceDir, files };
}
