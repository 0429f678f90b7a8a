import { describe, expect, it } from "vitest";
import { slugFromPath, slugize } from "./slug.ts";

// hexo-semantics.md §5: path below _posts/ without extension, new_post_name → slug.
describe("slugFromPath: §5", () => {
  it.each([
    { path: "hello-world", rule: ":title.md", slug: "hello-world", params: {} },
    { path: "lorem/hello-world", rule: ":title.md", slug: "lorem/hello-world", params: {} },
    { path: "Hello World Spaces", rule: ":title.md", slug: "Hello World Spaces", params: {} },
    { path: "你好 世界", rule: ":title.md", slug: "你好 世界", params: {} },
    { path: "Title.With.Dots", rule: ":title.md", slug: "Title.With.Dots", params: {} },
    { path: "2021-02-03-dated", rule: ":title.md", slug: "2021-02-03-dated", params: {} },
    { path: "2021-02-03-dated", rule: ":year-:month-:day-:title.md", slug: "dated", params: { year: "2021", month: "02", day: "03" } },
    { path: "Hello World Spaces", rule: ":year-:month-:day-:title.md", slug: "Hello-World-Spaces", params: {} }, // no match → slugize
    { path: "lorem/hello-world", rule: ":year-:month-:day-:title.md", slug: "lorem-hello-world", params: {} },
    { path: "你好 世界", rule: ":year-:month-:day-:title.md", slug: "你好-世界", params: {} },
    { path: "tw/Hello-World", rule: ":lang/:title.md", slug: "Hello-World", params: { lang: "tw" } },
    { path: "plain", rule: ":lang/:title.md", slug: "plain", params: {} },
  ])("$path with $rule", ({ path, rule, slug, params }) => {
    expect(slugFromPath(path, rule)).toEqual({ slug, params });
  });

  it("matches the fixed shapes of :year, :i_month, :hash", () => {
    expect(slugFromPath("2021/2/3/x", ":year/:i_month/:i_day/:title.md")).toEqual({ slug: "x", params: { year: "2021", i_month: "2", i_day: "3" } });
    expect(slugFromPath("21-02-03-x", ":year-:month-:day-:title.md").slug).toBe("21-02-03-x"); // :year needs 4 digits
    expect(slugFromPath("a-0123456789ab", ":title-:hash.md")).toEqual({ slug: "a", params: { hash: "0123456789ab" } });
    // Matches without :title → the path is slugized.
    expect(slugFromPath("2021-02-03", ":year-:month-:day.md")).toEqual({ slug: "2021-02-03", params: { year: "2021", month: "02", day: "03" } });
  });
});

// hexo-semantics.md §5.1 (hexo-util slugize).
describe("slugize: §5.1", () => {
  it.each([
    { input: "Hello World", keep: "Hello-World", lower: "hello-world" },
    { input: "  Hello   World  ", keep: "Hello-World", lower: "hello-world" },
    { input: "深度学习", keep: "深度学习", lower: "深度学习" },
    { input: "机器 学习", keep: "机器-学习" },
    { input: "C++", keep: "C", lower: "c" },
    { input: "C#", keep: "C", lower: "c" },
    { input: "Node.js", keep: "Node-js", lower: "node-js" },
    { input: "a_b_c", keep: "a-b-c" },
    { input: "foo/bar", keep: "foo-bar" },
    { input: "Yesterday's Thoughts", keep: "Yesterday-s-Thoughts" },
    { input: "Café Crème", keep: "Cafe-Creme" },
    { input: "Straße", keep: "Strase" },
    { input: "Ærøskøbing", keep: "AEroskobing" },
    { input: "Œuvre", keep: "OEuvre" },
    { input: "Hello—World", keep: "Hello—World", lower: "hello—world" },
    { input: "100% pure", keep: "100-pure" },
    { input: "你好，世界！", keep: "你好，世界！" },
    { input: "emoji 🎉 party", keep: "emoji-🎉-party" },
    { input: "über-cool__stuff", keep: "uber-cool-stuff" },
    { input: "Русский текст", keep: "Русский-текст", lower: "русский-текст" },
    { input: "tab\there", keep: "tabhere" },
    { input: "---", keep: "" },
    { input: "1.2.3", keep: "1-2-3" },
  ])("$input", ({ input, keep, lower }) => {
    expect(slugize(input)).toBe(keep);
    if (lower !== undefined) expect(slugize(input, 1)).toBe(lower);
  });

  it("transform 2 upper-cases", () => {
    expect(slugize("Hello World", 2)).toBe("HELLO-WORLD");
  });
});
