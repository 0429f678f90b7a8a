import { describe, expect, it } from "vitest";
import { createMarkdown } from "./create-markdown.ts";
import { classifyImageSrc } from "./images.ts";
import type { MarkdownEnv } from "./types.ts";

describe("images", () => {
  const md = createMarkdown();

  it.each([
    [
      "remote https keeps its URL",
      "![img](https://raw.githubusercontent.com/Tom89757/ImageHost/main/hexo/a.png)",
      '<p><img src="https://raw.githubusercontent.com/Tom89757/ImageHost/main/hexo/a.png" alt="img" loading="lazy" decoding="async"></p>\n',
    ],
    ["remote http", "![x](http://e.com/a.png)", '<p><img src="http://e.com/a.png" alt="x" loading="lazy" decoding="async"></p>\n'],
    ["protocol-relative", "![x](//e.com/a.png)", '<p><img src="//e.com/a.png" alt="x" loading="lazy" decoding="async"></p>\n'],
    ["local", "![x](images/a.png)", '<p><img src="images/a.png" alt="x" loading="lazy" decoding="async"></p>\n'],
    ["title kept", '![x](a.png "T")', '<p><img src="a.png" alt="x" title="T" loading="lazy" decoding="async"></p>\n'],
  ])("%s", (_name, markdown, expected) => {
    expect(md.render(markdown)).toBe(expected);
  });

  it("lists local images once each, URL-decoded, in order; remote and data: images are not listed", () => {
    const env: MarkdownEnv = {};
    md.render("![a](b.png) ![c](<图 片/d e.png>) ![r](https://x.org/r.png)\n\n- ![again](b.png) ![d](data:image/png;base64,AAAA)\n", env);
    expect(env.localImages).toEqual(["b.png", "图 片/d e.png"]);
  });

  it("resolveImageSrc rewrites local images only, sees the env, and its result is URL-encoded", () => {
    const seen: string[] = [];
    const rewriting = createMarkdown({
      resolveImageSrc: (src, env) => {
        seen.push(`${String(env.postPath)}|${src}`);
        return `/${String(env.postPath)}/${src}`;
      },
    });
    const env: MarkdownEnv = { postPath: "2022/06/03/note" };
    const html = rewriting.render("![a](图 片.png) ![b](https://x.org/b.png)".replace("图 片.png", "<图 片.png>"), env);
    expect(html).toBe(
      '<p><img src="/2022/06/03/note/%E5%9B%BE%20%E7%89%87.png" alt="a" loading="lazy" decoding="async"> ' +
        '<img src="https://x.org/b.png" alt="b" loading="lazy" decoding="async"></p>\n',
    );
    expect(seen).toEqual(["2022/06/03/note|图 片.png"]);
    expect(env.localImages).toEqual(["图 片.png"]);
  });

  it("raw HTML <img> is passed through untouched", () => {
    expect(md.render('<img width="300px" alt="D" src="a.svg" />')).toBe('<img width="300px" alt="D" src="a.svg" />');
  });

  it.each([
    ["https://a/b.png", "remote"],
    ["HTTP://a/b.png", "remote"],
    ["//cdn/b.png", "remote"],
    ["b.png", "local"],
    ["/images/b.png", "local"],
    ["../b.png", "local"],
    ["data:image/png;base64,AA", "inline-data"],
    ["#frag", "inline-data"],
    ["", "inline-data"],
  ])("classifyImageSrc(%j) = %s", (src, kind) => {
    expect(classifyImageSrc(src)).toBe(kind);
  });
});
