import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { createMarkdown } from "./create-markdown.ts";
import { HEADING_ID_STYLES, githubSlug, pandocIdentifier, uslug, type HeadingIdStyle } from "./heading-styles.ts";
import type { MarkdownEnv } from "./types.ts";

// Recorded from the real renderers by scripts/record-heading-styles.mjs (Hexo 8.1.2 + each renderer; github-slugger).
const recorded = JSON.parse(fs.readFileSync(new URL("../../tests/fixtures/heading-styles.json", import.meta.url), "utf8")) as {
  markdown: string;
  renderers: Record<HeadingIdStyle, string>;
  ids: Record<HeadingIdStyle, string[]>;
};

function render(markdown: string, style: HeadingIdStyle, aliases?: HeadingIdStyle[]): { html: string; env: MarkdownEnv } {
  const env: MarkdownEnv = {};
  const html = createMarkdown({ headingIdStyle: style, headingAliasStyles: aliases }).render(markdown, env);
  return { html, env };
}

describe("heading ids equal the real renderer's, style by style", () => {
  it("the fixture holds every style, 19 headings each", () => {
    expect(Object.keys(recorded.ids).sort()).toEqual([...HEADING_ID_STYLES].sort());
    for (const style of HEADING_ID_STYLES) expect(recorded.ids[style], style).toHaveLength(19);
  });

  it.each(HEADING_ID_STYLES.map((s) => [s]))("%s", (style) => {
    const ids = render(recorded.markdown, style).env.headings?.map((h) => h.id);
    expect(ids).toEqual(recorded.ids[style]);
  });
});

describe("alias anchors", () => {
  it("keep Hexo's id where the style's differs, before the heading text", () => {
    const { html, env } = render("## C++按值、引用和指针传递\n\n## 中文\n", "markdown-it-plus");
    expect(env.headings?.map((h) => [h.id, h.aliases])).toEqual([
      ["c按值-引用和指针传递", ["C-按值、引用和指针传递"]],
      ["中文", undefined],
    ]);
    expect(html).toContain('<h2 id="c按值-引用和指针传递"><span class="heading-alias" id="C-按值、引用和指针传递"></span>C++按值');
    expect(html).toContain('<h2 id="中文">中文 <a class="headerlink"');
  });

  it("none with Hexo's style", () => {
    expect(render("## Hello World\n", "hexo").html).not.toContain("heading-alias");
  });

  it("several styles, each id once", () => {
    const { env } = render("## A  -  B\n", "markdown-it-plus", ["hexo", "github", "pandoc"]);
    expect(env.headings?.[0]).toMatchObject({ id: "a-b", aliases: ["A-B", "a-----b", "a---b"] });
  });

  it("never an id twice on a page: an alias that is another heading's id is left out", () => {
    // github's id of "A B" is a-b, the second heading's (Hexo) id; github numbers the second a-b-1.
    const { html, env } = render("## A B\n\n## a-b\n", "hexo", ["github"]);
    expect(env.headings?.map((h) => [h.id, h.aliases])).toEqual([
      ["A-B", undefined],
      ["a-b", ["a-b-1"]],
    ]);
    expect(html.match(/id="a-b"/g)).toHaveLength(1);
  });

  it("an earlier site's ids that no heading has become aliases: by position when the counts agree", () => {
    const env: MarkdownEnv = {};
    const md = createMarkdown({ keptHeadingIds: () => ["old-one", "Two"] });
    md.render("## One\n\n## Two\n", env);
    expect(env.headings?.map((h) => [h.id, h.aliases])).toEqual([
      ["One", ["old-one"]],
      ["Two", undefined],
    ]);
  });

  it("…else by likeness, else on the first heading", () => {
    const env: MarkdownEnv = {};
    createMarkdown({ keptHeadingIds: () => ["two!", "gone"] }).render("## One\n\n## Two\n\n## Three\n", env);
    expect(env.headings?.map((h) => h.aliases)).toEqual([["gone"], ["two!"], undefined]);
  });

  it("marked's headerIds: false gives no ids at all", () => {
    expect(createMarkdown({ headingIds: false, headingIdStyle: "github" }).render("## A b\n")).toBe("<h2>A b</h2>\n");
  });
});

describe("slug functions", () => {
  it.each([
    ["C++按值、引用和指针传递", "c按值-引用和指针传递"],
    ["剪贴板 (clipboard)，使用golden dict", "剪贴板-clipboard使用golden-dict"],
    ["Ｆｕｌｌ　ｗｉｄｔｈ", "full-width"],
    ["emoji 🎉 party", "emoji-party"],
  ])("uslug %s → %s", (text, slug) => {
    expect(uslug(text)).toBe(slug);
  });

  it("github keeps each space as a dash and drops punctuation", () => {
    expect(githubSlug("Hello,  World! _x_ ²")).toBe("hello--world-_x_-");
  });

  it("pandoc drops everything before the first letter, and says `section` when nothing is left", () => {
    expect(pandocIdentifier("3.1 Vim配置")).toBe("vim配置");
    expect(pandocIdentifier("2022")).toBe("section");
  });
});
