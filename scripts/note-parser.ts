// How `npm run verify` (and the verification benchmark) reads a note: Hexo's front matter, then the site's own
// markdown-it and Hexo's tag pass, so that the snippets are the blocks the pages show.
import { parseFrontMatter } from "../plugins/hexo/frontmatter.ts";
import { defaultSplitFrontMatter, type BodyParser, type FrontMatterSplitter } from "../plugins/snippets/options.ts";

/**
 * The site's markdown-it (same fences as the pages, e.g. after `</br>` lines) and Hexo's tag pass, which turns
 * `{% codeblock %}` into a fence, keeping line numbers (links are not needed here). Loaded only when a note
 * needs parsing: a warm run that hits the cache never loads it.
 */
export async function loadNoteParser(): Promise<BodyParser> {
  const { createMarkdown } = await import("../plugins/markdown/create-markdown.ts");
  const { expandTags } = await import("../plugins/hexo/tags/expand.ts");
  const md = createMarkdown();
  const tags = {
    file: "",
    renderMarkdown: (text: string) => md.render(text),
    findPost: () => ({ title: "", url: "#" }),
    assetUrl: () => undefined,
    urlFor: (p: string) => p,
    fullUrlFor: (p: string) => p,
    readCodeFile: () => undefined,
    highlight: (code: string) => code,
  };
  return (body: string) => md.parse(expandTags(body, 1, tags).markdown, {});
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
