import fs from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createMarkdown } from "./create-markdown.ts";
import type { MarkdownEnv } from "./types.ts";

const sharedDir = new URL("../../../shared/", import.meta.url);

function render(markdown: string, options?: Parameters<typeof createMarkdown>[0]): { html: string; env: MarkdownEnv } {
  const env: MarkdownEnv = {};
  const html = createMarkdown(options).render(markdown, env);
  return { html, env };
}

function ids(markdown: string, options?: Parameters<typeof createMarkdown>[0]): string[] {
  return (render(markdown, options).env.headings ?? []).map((h) => h.id);
}

describe("heading ids: every row of hexo-semantics.md §12.2", () => {
  it.each([
    ["## 深度学习 入门", "深度学习-入门"],
    ["## C++ & C# `code` **bold**", "C-C-code-bold"],
    ["## Héllo Wörld Ünïcode", "Hello-World-Unicode"],
    ["## What's new? (v2.0)", "What’s-new-v2-0"],
    ["## 1. Intro", "1-Intro"],
    ["## emoji 🎉 party", "emoji-🎉-party"],
    ["## [Link text](http://x.com)", "Link-text"],
    ["## <span>html</span> tag", "html-tag"],
    ["## &amp; entity &lt;b&gt;", "entity"],
    ["## Русский текст", "Русский-текст"],
    ["### ---", "—"],
    ["## 日本語の見出し、句読点。", "日本語の見出し、句読点。"],
    ["# Hello World", "Hello-World"], // h1 gets an id too
  ])("%s → %s", (markdown, expected) => {
    expect(ids(markdown)).toEqual([expected]);
  });

  it.each([
    ["## Hello World", "hello-world"],
    ["## What's new? (v2.0)", "what’s-new-v2-0"],
    ["## Русский текст", "русский-текст"],
    ["## 深度学习 入门", "深度学习-入门"],
  ])("modifyAnchors 1: %s → %s", (markdown, expected) => {
    expect(ids(markdown, { headingIdCase: 1 })).toEqual([expected]);
  });

  it("modifyAnchors 2 upper-cases", () => {
    expect(ids("## Hello World", { headingIdCase: 2 })).toEqual(["HELLO-WORLD"]);
  });
});

describe("heading ids: duplicates within one document", () => {
  it("first bare, then -1, -2, counted per base id", () => {
    expect(ids("# Hello World\n\n## Hello World\n\n## Hello World\n\n## Hello-World\n")).toEqual([
      "Hello-World",
      "Hello-World-1",
      "Hello-World-2",
      "Hello-World-3",
    ]);
  });

  it("keeps marked's quirk: a literal suffixed heading is not checked against issued ids", () => {
    expect(ids("## A\n\n## A\n\n## A-1\n")).toEqual(["A", "A-1", "A-1"]);
  });

  it("counts restart for every render (no state kept between documents)", () => {
    const md = createMarkdown();
    const first: MarkdownEnv = {};
    const second: MarkdownEnv = {};
    md.render("## X\n\n## X\n", first);
    md.render("## X\n", second);
    expect(first.headings?.map((h) => h.id)).toEqual(["X", "X-1"]);
    expect(second.headings?.map((h) => h.id)).toEqual(["X"]);
  });

  it("headings inside lists and block quotes share the counter", () => {
    expect(ids("## Q\n\n> ## Q\n\n- ## Q\n")).toEqual(["Q", "Q-1", "Q-2"]);
  });
});

describe("heading ids: typography as marked's smartypants (ids are slugs of typeset text)", () => {
  it.each([
    // marked 4 smartypants: `"` not after space/punctuation is a closing quote, even next to CJK.
    ['### Docker一直处于"Docker is staring..."界面', "Docker一直处于”Docker-is-staring…”界面"],
    ['## "Quoted" title', "“Quoted”-title"],
    ["## python --version", "python-–version"],
    ["## (c) notes", "c-notes"], // no © replacement in marked
    ["## $x^2$ math", "x-2-math"], // math is plain `$…$` text to marked
  ])("%s → %s", (markdown, expected) => {
    expect(ids(markdown)).toEqual([expected]);
  });
});

describe("heading ids: recorded Hexo 8.1.2 + hexo-renderer-marked output", () => {
  const recorded = JSON.parse(fs.readFileSync(new URL("hexo-reference/out-headings-marked.json", sharedDir), "utf8")) as {
    posts: { source: string; content: string }[];
  };
  const headCase = createRequire(import.meta.url)(new URL("hexo-reference/cases/head.js", sharedDir).pathname) as {
    files: Record<string, string>;
  };
  const post = recorded.posts[0];
  const source = headCase.files[post.source];
  const body = source.split(/^---$/m).slice(2).join("---");
  const recordedIds = [...post.content.matchAll(/<h[1-6] id="([^"]*)"/g)].map((m) => m[1]);

  it("the recording holds the 16 headings of the case", () => {
    expect(recordedIds).toHaveLength(16);
  });

  it("every id matches, in order", () => {
    expect(ids(body)).toEqual(recordedIds);
  });

  it("levels match", () => {
    const recordedLevels = [...post.content.matchAll(/<h([1-6]) id=/g)].map((m) => Number(m[1]));
    expect(render(body).env.headings?.map((h) => h.level)).toEqual(recordedLevels);
  });

  it("the typography and line breaks around them match too", () => {
    const { html } = render(body);
    expect(post.content).toContain("<p>Smart “quotes” – dash — em… it’s</p>");
    expect(html).toContain("<p>Smart “quotes” – dash — em… it’s</p>");
    expect(html).toMatch(/<p>Line one<br>\s*Line two<\/p>/);
    expect(html).toContain('<a href="http://auto.link/x">http://auto.link/x</a>');
  });
});

describe("heading markup and env.headings", () => {
  it("renders the id and an anchor whose symbol is hidden from readers and search", () => {
    const { html } = render("## 深度学习 入门\n");
    expect(html).toBe(
      '<h2 id="深度学习-入门">深度学习 入门 <a class="headerlink" href="#深度学习-入门" aria-label="Link to this section" data-pagefind-ignore>' +
        '<span aria-hidden="true">#</span></a></h2>\n',
    );
  });

  it("lists level, id and plain text (code kept, tags dropped, entities decoded)", () => {
    const { env } = render("# Top\n\n## C++ & C# `code` **bold**\n\n### <span>html</span> tag\n\n## &amp; entity &lt;b&gt;\n");
    expect(env.headings).toEqual([
      { level: 1, id: "Top", text: "Top" },
      { level: 2, id: "C-C-code-bold", text: "C++ & C# code bold" },
      { level: 3, id: "html-tag", text: "html tag" },
      { level: 2, id: "entity", text: "& entity <b>" },
    ]);
  });

  it("a heading with an empty slug gets no id attribute and no anchor, but is listed", () => {
    const { html, env } = render("## !!!\n");
    expect(html).toBe("<h2>!!!</h2>\n");
    expect(env.headings).toEqual([{ level: 2, id: "", text: "!!!" }]);
  });

  it("md.renderInline leaves env.headings alone", () => {
    const md = createMarkdown();
    const env: MarkdownEnv = {};
    md.render("## Kept\n", env);
    md.renderInline("inline *text*", env);
    expect(env.headings?.map((h) => h.id)).toEqual(["Kept"]);
  });
});
