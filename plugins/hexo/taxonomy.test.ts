import { describe, expect, it } from "vitest";
import { categoriesOf, lastCategorySlug, tagsOf } from "./taxonomy.ts";
import { defaultHexoConfig } from "./config.ts";
import { postPathFor } from "./permalink.ts";
import type { HexoConfig } from "./types.ts";

const defaults = defaultHexoConfig();
// The §8.3 paragraph on maps: category_map, tag_map, filename_case 1, category_dir cat, tag_dir t.
const mapped: HexoConfig = {
  ...defaults,
  category_map: { 深度学习: "deep-learning", Sports: "sports-cat" },
  tag_map: { "C++": "cpp", 中文标签: "zh-tag" },
  filename_case: 1,
  category_dir: "cat",
  tag_dir: "t",
};

const paths = (fm: Record<string, unknown>, config: HexoConfig) => categoriesOf(fm, config).map((c) => c.path);
const tagPaths = (fm: Record<string, unknown>, config: HexoConfig) => tagsOf(fm, config).map((t) => t.path);
const categoryToken = (fm: Record<string, unknown>, config: HexoConfig) => lastCategorySlug(categoriesOf(fm, config), config);

const nested = { categories: [["Sports", "Baseball"], ["MLB", "American League", "Boston Red Sox"], ["MLB", "American League", "New York Yankees"], "Rivalries"] };
const cjk = { categories: ["深度学习", "机器 学习"], tags: ["中文标签", "C++", "Node.js", 2022, "a, b", "", null] };
const special = { categories: ["Yesterday's Thoughts", "Café Crème"], tags: ["Hello World", "UPPER"] };

// hexo-semantics.md §8.3 (defaults; permalink :category/:title/).
describe("categoriesOf / tagsOf: §8.3", () => {
  it.each([
    { name: "string", fm: { categories: "Diary", tags: "solo" }, categories: ["categories/Diary/"], tags: ["tags/solo/"], token: "Diary" },
    {
      name: "flat list is one hierarchy",
      fm: { categories: ["Sports", "Baseball"], tags: ["Injury", "Fight"] },
      categories: ["categories/Sports/", "categories/Sports/Baseball/"],
      tags: ["tags/Injury/", "tags/Fight/"],
      token: "Sports/Baseball",
    },
    {
      name: "list of lists",
      fm: nested,
      categories: [
        "categories/Sports/",
        "categories/Sports/Baseball/",
        "categories/MLB/",
        "categories/MLB/American-League/",
        "categories/MLB/American-League/Boston-Red-Sox/",
        "categories/MLB/American-League/New-York-Yankees/",
        "categories/Rivalries/",
      ],
      tags: [],
      token: "Rivalries",
    },
    { name: "aliases", fm: { category: "Alias Cat", tag: "alias-tag" }, categories: ["categories/Alias-Cat/"], tags: ["tags/alias-tag/"], token: "Alias-Cat" },
    {
      name: "CJK; empty and null tags dropped, numbers stringified",
      fm: cjk,
      categories: ["categories/深度学习/", "categories/深度学习/机器-学习/"],
      tags: ["tags/中文标签/", "tags/C/", "tags/Node-js/", "tags/2022/", "tags/a-b/"],
      token: "深度学习/机器-学习",
    },
    {
      name: "punctuation and diacritics",
      fm: special,
      categories: ["categories/Yesterday-s-Thoughts/", "categories/Yesterday-s-Thoughts/Cafe-Creme/"],
      tags: ["tags/Hello-World/", "tags/UPPER/"],
      token: "Yesterday-s-Thoughts/Cafe-Creme",
    },
    { name: "a string with a comma is one tag", fm: { categories: ["Sports"], tags: "one two, three" }, categories: ["categories/Sports/"], tags: ["tags/one-two-three/"], token: "Sports" },
    { name: "none", fm: {}, categories: [], tags: [], token: "uncategorized" },
  ])("$name", ({ fm, categories, tags, token }) => {
    expect(paths(fm, defaults)).toEqual(categories);
    expect(tagPaths(fm, defaults)).toEqual(tags);
    expect(categoryToken(fm, defaults)).toBe(token);
  });

  it("post.path with :category/:title/", () => {
    const config = { ...defaults, permalink: ":category/:title/" };
    const pathOf = (slug: string, fm: Record<string, unknown>) =>
      postPathFor({ slug, title: "", date: new Date("2022-01-01T00:00:00Z"), categories: categoriesOf(fm, config).map((c) => c.slug), frontMatter: fm }, config, "UTC");
    expect(pathOf("a-string", { categories: "Diary" })).toBe("Diary/a-string/");
    expect(pathOf("b-list", { categories: ["Sports", "Baseball"] })).toBe("Sports/Baseball/b-list/");
    expect(pathOf("c-nested", nested)).toBe("Rivalries/c-nested/");
    expect(pathOf("e-cjk", cjk)).toBe("深度学习/机器-学习/e-cjk/");
    expect(pathOf("f-none", {})).toBe("uncategorized/f-none/");
  });

  it("names, parents and hierarchy", () => {
    expect(categoriesOf({ categories: ["Sports", "Baseball"] }, defaults)).toEqual([
      { name: "Sports", slug: "Sports", path: "categories/Sports/", hierarchy: ["Sports"] },
      { name: "Baseball", slug: "Sports/Baseball", path: "categories/Sports/Baseball/", parent: "Sports", hierarchy: ["Sports", "Baseball"] },
    ]);
    expect(categoriesOf({ categories: ["Other", "Baseball"] }, defaults).map((c) => c.slug)).toEqual(["Other", "Other/Baseball"]);
  });

  it("a level shared by two hierarchies is attached once", () => {
    const fm = { categories: [["Sports", "Baseball"], ["Sports", "Football"], ["Sports"]] };
    expect(categoriesOf(fm, defaults).map((c) => c.slug)).toEqual(["Sports", "Sports/Baseball", "Sports/Football"]);
    expect(categoryToken(fm, defaults)).toBe("Sports/Football");
  });

  it("`categories` wins over the `category` alias; duplicate tags merge by exact name", () => {
    expect(paths({ categories: "A", category: "B" }, defaults)).toEqual(["categories/A/"]);
    expect(tagsOf({ tags: ["x", "x", "X"] }, defaults).map((t) => t.name)).toEqual(["x", "X"]);
  });
});

describe("§8.3 maps and filename_case", () => {
  it("category_map, tag_map, filename_case 1, category_dir cat, tag_dir t", () => {
    expect(paths(cjk, mapped)).toEqual(["cat/deep-learning/", "cat/deep-learning/机器-学习/"]);
    expect(paths({ categories: ["Sports", "Baseball"] }, mapped)).toEqual(["cat/sports-cat/", "cat/sports-cat/baseball/"]);
    expect(tagPaths(cjk, mapped)).toEqual(["t/zh-tag/", "t/cpp/", "t/node-js/", "t/2022/", "t/a-b/"]);
    expect(tagPaths(special, mapped)).toEqual(["t/hello-world/", "t/upper/"]);
    expect(paths(special, mapped)).toEqual(["cat/yesterday-s-thoughts/", "cat/yesterday-s-thoughts/cafe-creme/"]);
    expect(categoryToken({ categories: ["Sports", "Baseball"] }, mapped)).toBe("sports-cat/baseball");
  });

  it("names keep their spelling; only slugs change", () => {
    expect(categoriesOf({ categories: "Sports" }, mapped)[0]).toMatchObject({ name: "Sports", slug: "sports-cat" });
    expect(tagsOf({ tags: "C++" }, mapped)[0]).toEqual({ name: "C++", slug: "cpp", path: "t/cpp/" });
  });

  it("category_dir '/' drops the folder (models/category.ts)", () => {
    expect(paths({ categories: "Diary" }, { ...defaults, category_dir: "/" })).toEqual(["/Diary/"]);
  });
});
