import { describe, expect, it } from "vitest";
import { defaultHexoConfig, parseHexoConfig } from "./config.ts";

describe("defaultHexoConfig: Hexo 8 defaults (lib/hexo/default_config.ts)", () => {
  it("has Hexo's values", () => {
    expect(defaultHexoConfig()).toMatchObject({
      title: "Hexo",
      author: "John Doe",
      language: "en",
      timezone: "",
      url: "http://example.com",
      root: "/",
      permalink: ":year/:month/:day/:title/",
      new_post_name: ":title.md",
      per_page: 10,
      pagination_dir: "page",
      archive_dir: "archives",
      category_dir: "categories",
      tag_dir: "tags",
      code_dir: "downloads/code",
      default_category: "uncategorized",
      filename_case: 0,
      post_asset_folder: false,
      future: true,
      render_drafts: false,
      updated_option: "mtime",
      pretty_urls: { trailing_index: true, trailing_html: true },
      index_generator: { path: "", per_page: 10, order_by: "-date", pagination_dir: "page" },
    });
  });
});

describe("parseHexoConfig", () => {
  it("merges the user's values over the defaults", () => {
    const { config, diagnostics } = parseHexoConfig(
      "title: 我的笔记\nurl: https://notes.example.org/\npermalink: :title/\nper_page: 5\nfilename_case: 1\ncategory_map:\n  深度学习: deep-learning\npretty_urls:\n  trailing_html: false\n",
      "_config.yml",
    );
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({
      title: "我的笔记",
      url: "https://notes.example.org",
      root: "/",
      permalink: ":title/",
      per_page: 5,
      filename_case: 1,
      category_map: { 深度学习: "deep-learning" },
      pretty_urls: { trailing_index: true, trailing_html: false },
      index_generator: { path: "", per_page: 5, order_by: "-date", pagination_dir: "page" },
      author: "John Doe",
    });
  });

  it("empty values mean the default", () => {
    const { config } = parseHexoConfig("permalink_defaults:\ncategory_map:\ntag_map:\ntimezone: ''\nper_page:\nindex_generator:\n", "_config.yml");
    expect(config.permalink_defaults).toEqual({});
    expect(config.category_map).toEqual({});
    expect(config.tag_map).toEqual({});
    expect(config.timezone).toBe("");
    expect(config.per_page).toBe(10);
    expect(config.index_generator.per_page).toBe(10);
  });

  it("index_generator falls back to per_page and pagination_dir; its own values win", () => {
    expect(parseHexoConfig("per_page: 3\npagination_dir: seite\n", "c").config.index_generator).toEqual({ path: "", per_page: 3, order_by: "-date", pagination_dir: "seite" });
    expect(parseHexoConfig("per_page: 3\nindex_generator:\n  path: blog\n  per_page: 0\n  order_by: -updated\n", "c").config.index_generator).toEqual({
      path: "blog",
      per_page: 0,
      order_by: "-updated",
      pagination_dir: "page",
    });
  });

  it("root comes from url's path when not set, and ends in one slash", () => {
    expect(parseHexoConfig("url: http://example.com/blog\n", "c").config).toMatchObject({ url: "http://example.com/blog", root: "/blog/" });
    expect(parseHexoConfig("url: http://example.com/blog/\nroot: /blog//\n", "c").config).toMatchObject({ url: "http://example.com/blog", root: "/blog/" });
  });

  it("keeps a valid timezone and reports an unknown one", () => {
    expect(parseHexoConfig("timezone: Asia/Shanghai\n", "c").config.timezone).toBe("Asia/Shanghai");
    const { config, diagnostics } = parseHexoConfig("title: x\ntimezone: Asia/Nowhere\n", "c");
    expect(config.timezone).toBe("");
    expect(diagnostics).toMatchObject([{ severity: "error", file: "c", line: 2 }]);
  });

  it("a YAML error is a diagnostic with its line; defaults are used", () => {
    const { config, diagnostics } = parseHexoConfig("title: a\nurl: http://x.org\nurl: http://y.org\n", "site/_config.yml");
    expect(config).toEqual(defaultHexoConfig());
    expect(diagnostics).toMatchObject([{ severity: "error", file: "site/_config.yml", line: 3 }]);
    expect(parseHexoConfig("title: [oops\n", "c").diagnostics[0].severity).toBe("error");
  });

  it("an empty file is the defaults", () => {
    expect(parseHexoConfig("", "c")).toEqual({ config: defaultHexoConfig(), diagnostics: [] });
    expect(parseHexoConfig("# only comments\n", "c")).toEqual({ config: defaultHexoConfig(), diagnostics: [] });
  });

  it("reads odd but valid values like Hexo does", () => {
    const { config } = parseHexoConfig("language: [zh-CN, en]\nfilename_case: '1'\nfuture: 0\ntitle: 2024\npermalink_defaults:\n  lang: en\n", "c");
    expect(config.language).toBe("zh-CN");
    expect(config.filename_case).toBe(0); // slugize only knows the numbers 1 and 2
    expect(config.future).toBe(false);
    expect(config.title).toBe("2024");
    expect(config.permalink_defaults).toEqual({ lang: "en" });
  });

  it("reports values Hexo cannot use", () => {
    const { diagnostics } = parseHexoConfig("url: not a url\nupdated_option: sometimes\npermalink: :path/\n", "c");
    expect(diagnostics.map((d) => [d.severity, d.line])).toEqual([
      ["warning", 2],
      ["error", 1],
      ["error", 3],
    ]);
  });
});
