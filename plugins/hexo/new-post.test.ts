import { describe, expect, it } from "vitest";
import { newPost } from "./new-post.ts";
import { defaultHexoConfig } from "./config.ts";
import { parseFrontMatter } from "./frontmatter.ts";

const now = new Date("2026-11-26T17:30:05Z");

describe("newPost", () => {
  it.each([
    [":title.md", 0, "Hello World 你好", "UTC", "Hello-World-你好.md", "2026-11-26 17:30:05"],
    [":title.md", 1, "Hello World", "UTC", "hello-world.md", "2026-11-26 17:30:05"],
    [":year-:month-:day-:title.md", 0, "Node.js 笔记", "Asia/Shanghai", "2026-11-27-Node-js-笔记.md", "2026-11-27 01:30:05"],
  ] as const)("%s, filename_case %i: %s in %s", (pattern, fileCase, title, zone, file, date) => {
    const post = newPost(title, { ...defaultHexoConfig(), new_post_name: pattern, filename_case: fileCase }, now, zone);
    expect(post.file).toBe(file);
    const fm = parseFrontMatter(post.text);
    expect(fm.ok && fm.value.data.title).toBe(title);
    expect(post.text).toContain(`date: ${date}\n`);
  });

  it("refuses a title with no usable characters", () => {
    expect(() => newPost("???", defaultHexoConfig(), now, "UTC")).toThrow(/empty file name/);
  });
});
