import { describe, expect, it } from "vitest";
import { blogMarkdownSetup, declaredRenderer, headingIdsLine, rendererMarkdownOptions } from "./renderer-config.ts";
import { inferHeadingIdStyle, internalFragments } from "./infer-heading-style.ts";

const site = { url: "https://me.github.io", root: "/" };

describe("which renderer the blog says it uses", () => {
  it("package.json first, then the _config.yml sections", () => {
    expect(declaredRenderer({ marked: {} }, ["hexo-renderer-markdown-it-plus"])?.style).toBe("markdown-it-plus");
    expect(declaredRenderer({}, ["hexo", "hexo-renderer-pandoc"])?.style).toBe("pandoc");
    expect(declaredRenderer({ markdown: { plugins: [{ name: "markdown-it-anchor" }] } }, ["hexo-renderer-markdown-it"])?.style).toBe("markdown-it-anchor");
    expect(declaredRenderer({ markdown_it_plus: { html: true } }, undefined)?.because).toBe("_config.yml has markdown_it_plus:");
    expect(declaredRenderer({ marked: { smartypants: false } }, ["hexo"])?.style).toBe("hexo");
    expect(declaredRenderer({}, ["hexo", "hexo-server"])).toBeUndefined();
  });
});

describe("inferring the style from the notes' own links", () => {
  const note = "## C++按值、引用和指针传递\n\n## torch.nn.Conv2d\n\nsee [a](#c按值-引用和指针传递) and [b](/2022/x/#torchnnconv2d)\n";

  it("picks the style whose ids the links find", () => {
    const evidence = inferHeadingIdStyle([note], { siteHost: "me.github.io" });
    expect(evidence).toMatchObject({ style: "markdown-it-plus", links: 2 });
    expect(evidence.resolved.hexo).toBe(0);
  });

  it("links to other hosts, mailto: and code are not evidence; headings inside fences are not headings", () => {
    expect(internalFragments("[x](https://other.org/#a) [y](https://me.github.io/p/#b) [z](#c) [m](mailto:a@b#d)", "me.github.io")).toEqual(["b", "c"]);
    const fenced = "```\n## Not A Heading\n```\n\n[x](#not-a-heading)\n";
    expect(inferHeadingIdStyle([fenced]).resolved.github).toBe(0);
  });

  it("a rarer style must resolve clearly more links: two links copied from a GitHub README do not outvote the site's renderer", () => {
    const copied = "## A - B\n\n## HTML & CSS\n\n[x](#html--css) [y](#a---b)\n";
    // 40 links both styles resolve, one only the site's renderer (markdown-it-plus: 、 is a dash) resolves.
    const own = Array.from({ length: 40 }, (_, i) => `## Part ${i} x\n\n[p](#part-${i}-x)\n`).join("\n") + "\n## 按值、引用\n\n[q](#按值-引用)\n";
    const evidence = inferHeadingIdStyle([own, copied]);
    expect(evidence.resolved.github).toBeGreaterThan(evidence.resolved["markdown-it-plus"]);
    expect(evidence.style).toBe("markdown-it-plus");
    expect(evidence.alsoResolving).toContain("github");
  });

  it("no links: Hexo's default, without aliases", () => {
    const { headingIds } = blogMarkdownSetup({ renderers: {}, site, notes: ["## A\n"] });
    expect(headingIds).toMatchObject({ style: "hexo", aliasStyles: [], how: "default" });
  });

  it("says what it chose and why in one line", () => {
    const { headingIds } = blogMarkdownSetup({ renderers: {}, site, notes: [note] });
    expect(headingIdsLine(headingIds)).toBe(
      "Heading ids: markdown-it-plus style, inferred (2 of the notes' 2 #anchor links resolve with it (Hexo's default: 0)); hexo ids kept as aliases where they differ",
    );
  });
});

describe("renderer options", () => {
  it("marked: gfm off turns off breaks and autolinks with it", () => {
    expect(rendererMarkdownOptions({ marked: { gfm: false } }, "marked", site)).toMatchObject({ gfm: false, breaks: false, linkify: false });
  });

  it("marked: external_link opens other hosts in a new tab, not the site's own", () => {
    const options = rendererMarkdownOptions({ marked: { external_link: { enable: true, exclude: "other.org" } } }, "marked", site);
    expect(options.externalLinks).toEqual({ exclude: ["other.org"], nofollow: false, siteHost: "me.github.io" });
  });

  it("Hexo's own external_link counts when written in _config.yml", () => {
    expect(rendererMarkdownOptions({ external_link: { enable: true, field: "site" } }, "marked", site).externalLinks).toMatchObject({ exclude: [] });
    expect(rendererMarkdownOptions({}, "marked", site).externalLinks).toBe(false);
  });

  it("markdown-it: render and anchors", () => {
    const options = rendererMarkdownOptions({ markdown: { render: { breaks: false, typographer: false }, anchors: { level: 1, case: 1, collisionSuffix: "v" } } }, "markdown-it", site);
    expect(options).toMatchObject({ breaks: false, typographer: false, linkify: true, headingStyleSettings: { level: 1, case: 1, collisionSuffix: "v" } });
  });
});
