import { describe, expect, it } from "vitest";
import { createMarkdown } from "./create-markdown.ts";

const linksOf = (source: string) => {
  const env: Record<string, unknown> = {};
  createMarkdown().render(source, env);
  return { links: env.links, tagLines: env.tagLines };
};

describe("links plugin", () => {
  it.each([
    ["a link on the first line", "[a](/x/)", [{ href: "/x/", line: 1 }]],
    ["a link after soft breaks in one paragraph", "one\ntwo\nsee [b](/b/#中文)", [{ href: "/b/#%E4%B8%AD%E6%96%87", line: 3 }]],
    ["an image in a later block", "# T\n\npara\n\n![i](/img/a.png)", [{ href: "/img/a.png", line: 5 }]],
    ["raw HTML inline and block", 'x <a href="/r/">r</a>\n\n<div>\n<img src="/i.png">\n</div>', [{ href: "/r/", line: 1 }, { href: "/i.png", line: 4 }]],
    ["links inside list items and quotes", "- a\n- [l](/l/)\n\n> q\n> [m](/m/)", [{ href: "/l/", line: 2 }, { href: "/m/", line: 5 }]],
    ["an autolinked URL", "see https://example.com/a", [{ href: "https://example.com/a", line: 1 }]],
  ])("%s", (_name, source, expected) => {
    expect(linksOf(source).links).toEqual(expected);
  });

  it("records the line of each tag placeholder, inline or on its own line", () => {
    expect(linksOf("a\n\n<!--vn-tag:0-->\n\ntext <vn-tag data-n=\"1\"></vn-tag> more").tagLines).toEqual({ 0: 3, 1: 5 });
  });
});
