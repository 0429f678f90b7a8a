// Test helpers: a TagContext like the reference Hexo site of ../shared/hexo-reference/cases/tags.js
// (url http://example.com, root /, post "Target <Post> & \"Co\"" at 2022/01/01/target-post/, asset folder of
// `pub` at 2022/01/01/pub/, downloads/code/test.js), Markdown by a plain markdown-it, highlighting by
// hexo-util's `highlight` with Hexo's defaults (line numbers, wrap), so outputs are Hexo's byte for byte.
import MarkdownIt from "markdown-it";
import hexoUtil from "hexo-util";
import { expandTags, fillTagPlaceholders } from "./expand.ts";
import type { ExpandResult, TagContext, TagPostRef } from "./types.ts";

const site = { config: { url: "http://example.com", root: "/", relative_link: false, pretty_urls: {} } };

export const TARGET_TITLE = 'Target <Post> & "Co"';

const posts: Record<string, TagPostRef> = {
  "target-post": { title: TARGET_TITLE, url: "/2022/01/01/target-post/", slug: "target-post" },
  "lorem/hello-world": { title: "Hello World", url: "/2013/07/14/hello-world/", slug: "lorem/hello-world" },
  untitled: { title: "", url: "/2022/01/09/untitled/", slug: "untitled" },
};

const assets = new Set(["foo.jpg", "sub dir/a b.txt"]);

export function testContext(overrides: Partial<TagContext> = {}): TagContext {
  const md = new MarkdownIt({ html: true });
  return {
    file: "source/_posts/t.md",
    renderMarkdown: (s) => md.render(s),
    findPost: (q) => posts[q] ?? Object.values(posts).find((p) => p.title === q),
    assetUrl: (name) => (assets.has(name) ? "/2022/01/01/pub/" + name : undefined),
    urlFor: (path, relative) => hexoUtil.url_for.call(site, path, relative === undefined ? undefined : { relative }),
    fullUrlFor: (path) => hexoUtil.full_url_for.call(site, path),
    readCodeFile: (path) => (path === "test.js" ? "line1();\nline2();\nline3();\nline4();\n" : undefined),
    highlight: (code, lang, o) =>
      hexoUtil.highlight(code, { lang, caption: o?.caption, firstLine: o?.firstLine, gutter: true, wrap: true, hljs: false, autoDetect: false }),
    ...overrides,
  };
}

/** Expand, render with a plain markdown-it, fill the placeholders. */
export function renderNote(
  body: string,
  ctx: TagContext = testContext(),
  bodyLine = 1,
): ExpandResult & { html: string } {
  const r = expandTags(body, bodyLine, ctx);
  const md = new MarkdownIt({ html: true });
  return { ...r, html: fillTagPlaceholders(md.render(r.markdown), r.fragments) };
}
