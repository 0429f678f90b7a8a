import { describe, expect, it } from "vitest";
import { fullUrlFor, postPathFor, routeFor, urlFor, type PostPathInput } from "./permalink.ts";
import { defaultHexoConfig } from "./config.ts";
import { categoriesOf } from "./taxonomy.ts";
import type { HexoConfig } from "./types.ts";

// hexo-semantics.md §6.3: site timezone UTC, machine UTC, `date: 2013-07-14 17:01:34`.
const date = new Date("2013-07-14T17:01:34Z");
const siteConfig = (overrides: Partial<HexoConfig> = {}): HexoConfig => ({ ...defaultHexoConfig(), timezone: "UTC", ...overrides });

function post(slug: string, more: Partial<PostPathInput> = {}): PostPathInput {
  return { slug, title: "", date, categories: [], frontMatter: {}, ...more };
}

describe("postPathFor: §6.3", () => {
  const fooBar = categoriesOf({ categories: ["foo", "bar"] }, siteConfig()).map((c) => c.slug);
  it.each([
    { permalink: ":year/:month/:day/:title/", post: post("hello-world"), path: "2013/07/14/hello-world/", url: "http://example.com/2013/07/14/hello-world/" },
    { permalink: ":year/:month/:day/:title/", post: post("lorem/hello-world"), path: "2013/07/14/lorem/hello-world/" },
    { permalink: ":year/:month/:day/:title/", post: post("Hello World Spaces"), path: "2013/07/14/Hello World Spaces/", url: "http://example.com/2013/07/14/Hello%20World%20Spaces/" },
    {
      permalink: ":year/:month/:day/:title/",
      post: post("你好 世界"),
      path: "2013/07/14/你好 世界/",
      url: "http://example.com/2013/07/14/%E4%BD%A0%E5%A5%BD%20%E4%B8%96%E7%95%8C/",
    },
    { permalink: ":year-:month-:day-:title.html", post: post("hello-world"), path: "2013-07-14-hello-world.html" },
    { permalink: ":year-:month-:day-:title.html", post: post("lorem/hello-world"), path: "2013-07-14-lorem/hello-world.html" },
    { permalink: ":category/:title/", post: post("hello-world", { categories: fooBar }), path: "foo/bar/hello-world/" },
    { permalink: ":title-:hash/", post: post("hello-world"), path: "hello-world-a2c8ac003b43/" },
    { permalink: ":title-:hash/", post: post("lorem/hello-world"), path: "lorem/hello-world-37430ba0be7d/" },
    { permalink: ":year/:i_month/:i_day/:hour:minute:second/:post_title/", post: post("a", { title: "Hello World" }), path: "2013/7/14/170134/hello-world/" },
    { permalink: ":year/:i_month/:i_day/:hour:minute:second/:post_title/", post: post("a", { title: "Ünïcödé Tïtle & Stuff" }), path: "2013/7/14/170134/unicode-title-stuff/" },
    {
      permalink: ":year/:i_month/:i_day/:hour:minute:second/:post_title/",
      post: post("a", { title: "你好，世界" }),
      path: "2013/7/14/170134/你好，世界/",
      url: "http://example.com/2013/7/14/170134/%E4%BD%A0%E5%A5%BD%EF%BC%8C%E4%B8%96%E7%95%8C/",
    },
    { permalink: ":name/:timestamp/", post: post("lorem/hello-world"), path: "hello-world/1373821294/" },
    { permalink: ":abbrlink/:id/:title/", post: post("a", { frontMatter: { abbrlink: "4a17b156", id: 178 }, id: 178 }), path: "4a17b156/178/a/" },
    // Without the keys: `undefined` for the missing token (Hexo's :id would be its database id, given here as id).
    { permalink: ":abbrlink/:id/:title/", post: post("b", { id: "cuid123" }), path: "undefined/cuid123/b/" },
    { permalink: ":year/:month/:day/:title", post: post("hello-world"), path: "2013/07/14/hello-world" },
    { permalink: ":category/:title/", post: post("f-none"), path: "uncategorized/f-none/" },
  ])("$permalink → $path", ({ permalink, post: input, path, url }) => {
    const config = siteConfig({ permalink });
    const result = postPathFor(input, config, "UTC");
    expect(result).toBe(path);
    if (url) expect(fullUrlFor(result, config)).toBe(url);
  });

  it(":lang/:title/ with permalink_defaults {lang: en}", () => {
    const config = siteConfig({ permalink: ":lang/:title/", permalink_defaults: { lang: "en" } });
    expect(postPathFor(post("langpost", { frontMatter: { lang: "zh-CN" } }), config, "UTC")).toBe("zh-CN/langpost/");
    expect(postPathFor(post("hello-world"), config, "UTC")).toBe("en/hello-world/");
  });

  it(":lang from new_post_name wins over front matter; none gives `undefined` (§5)", () => {
    const config = siteConfig({ permalink: ":lang/:title/", new_post_name: ":lang/:title.md" });
    expect(postPathFor(post("Hello-World", { filenameParams: { lang: "tw" }, frontMatter: { lang: "en" } }), config, "UTC")).toBe("tw/Hello-World/");
    expect(postPathFor(post("plain"), config, "UTC")).toBe("undefined/plain/");
  });

  it("built-in tokens win over front-matter keys of the same name", () => {
    const config = siteConfig({ permalink: ":title/:year/" });
    expect(postPathFor(post("slug", { frontMatter: { title: "FM title", year: 1999 } }), config, "UTC")).toBe("slug/2013/");
  });

  it("date parts use the machine zone, not the site zone (§4.1 step 5)", () => {
    const config = siteConfig({ timezone: "Asia/Shanghai" });
    expect(postPathFor(post("a", { date: new Date("2022-06-02T21:00:00Z") }), config, "UTC")).toBe("2022/06/02/a/");
    expect(postPathFor(post("a", { date: new Date("2022-06-02T21:00:00Z") }), config, "Asia/Shanghai")).toBe("2022/06/03/a/");
  });

  it("post_asset_folder appends / unless the path ends in / or .html", () => {
    const config = (permalink: string) => siteConfig({ permalink, post_asset_folder: true });
    expect(postPathFor(post("hello-world"), config(":year/:month/:day/:title"), "UTC")).toBe("2013/07/14/hello-world/");
    expect(postPathFor(post("hello-world"), config(":title.html"), "UTC")).toBe("hello-world.html");
    expect(postPathFor(post("hello-world"), config(":title/"), "UTC")).toBe("hello-world/");
  });
});

// hexo-semantics.md §6.4.
describe("postPathFor: §6.4 per-post permalink", () => {
  it.each([
    { permalink: "custom/path", assetFolder: false, path: "/custom/path", url: "http://example.com/custom/path", route: "custom/path" },
    { permalink: "/custom/path2.html", assetFolder: false, path: "/custom/path2.html", url: "http://example.com/custom/path2.html", route: "custom/path2.html" },
    { permalink: "custom3/", assetFolder: false, path: "/custom3/", url: "http://example.com/custom3/", route: "custom3/index.html" },
    { permalink: "custom/path", assetFolder: true, path: "/custom/path/", url: "http://example.com/custom/path/", route: "custom/path/index.html" },
  ])("$permalink (post_asset_folder: $assetFolder)", ({ permalink, assetFolder, path, url, route }) => {
    const config = siteConfig({ post_asset_folder: assetFolder, permalink: ":title-:hash/" });
    const result = postPathFor(post("custom1", { permalinkOverride: permalink }), config, "UTC");
    expect(result).toBe(path);
    expect(fullUrlFor(result, config)).toBe(url);
    expect(routeFor(result)).toBe(route);
  });
});

// hexo-semantics.md §6.5.
describe("routeFor: §6.5", () => {
  it.each([
    { path: "2013/07/14/hello-world/", route: "2013/07/14/hello-world/index.html" },
    { path: "categories/深度学习/", route: "categories/深度学习/index.html" },
    { path: "2013/07/14/hello-world", route: "2013/07/14/hello-world" }, // no extension: browsers download it
    { path: "/custom/path2.html", route: "custom/path2.html" },
    { path: "", route: "index.html" },
    { path: "/", route: "index.html" },
    { path: "a\\b/", route: "a/b/index.html" },
    { path: "search/?q=1", route: "search/index.html" },
  ])("$path", ({ path, route }) => {
    expect(routeFor(path)).toBe(route);
  });
});

// hexo-semantics.md §6.6.
describe("urlFor / fullUrlFor: §6.6", () => {
  it("url_for encodes and prefixes root", () => {
    expect(urlFor("categories/深度学习/", siteConfig())).toBe("/categories/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0/");
    expect(urlFor("categories/深度学习/", siteConfig({ root: "/blog/" }))).toBe("/blog/categories/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0/");
    expect(urlFor("/a b/c", siteConfig())).toBe("/a%20b/c");
    expect(urlFor("already%20encoded/", siteConfig())).toBe("/already%20encoded/");
  });

  it("url_for leaves absolute, protocol-relative and # URLs alone", () => {
    expect(urlFor("https://other.org/a b", siteConfig())).toBe("https://other.org/a b");
    expect(urlFor("//cdn.example.com/x", siteConfig())).toBe("//cdn.example.com/x");
    expect(urlFor("#top", siteConfig())).toBe("#top");
  });

  it("full_url_for uses url (which carries the sub-path), not root", () => {
    const config = siteConfig({ url: "http://example.com/blog", root: "/blog/" });
    expect(fullUrlFor("2013/07/14/hello-world/", config)).toBe("http://example.com/blog/2013/07/14/hello-world/");
    expect(fullUrlFor("categories/深度学习/", siteConfig())).toBe("http://example.com/categories/%E6%B7%B1%E5%BA%A6%E5%AD%A6%E4%B9%A0/");
  });

  it("pretty_urls strips index.html and .html from URLs, not from paths", () => {
    const config = siteConfig({ permalink: ":year/:month/:title.html", pretty_urls: { trailing_index: false, trailing_html: false } });
    const path = postPathFor(post("hello-world"), config, "UTC");
    expect(path).toBe("2013/07/hello-world.html");
    expect(routeFor(path)).toBe("2013/07/hello-world.html");
    expect(fullUrlFor(path, config)).toBe("http://example.com/2013/07/hello-world");
    expect(urlFor("2013/07/14/hello-world/", config)).toBe("/2013/07/14/hello-world/"); // a folder path is unaffected
    expect(urlFor("about/index.html", config)).toBe("/about/");
  });
});
