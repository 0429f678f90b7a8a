import { describe, expect, it } from "vitest";
import { tableOfContents, tocSize } from "./toc.ts";

const h = (level: number, text: string) => ({ level, id: text, text });
const outline = (entries: ReturnType<typeof tableOfContents>): string[] =>
  entries.flatMap((e) => [`${e.number} ${e.text}`, ...outline(e.children)]);

describe("tableOfContents", () => {
  it("numbers subsections inside their section", () => {
    const toc = tableOfContents([h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(3, "b1"), h(4, "deep"), h(2, "c")]);
    expect(outline(toc)).toEqual(["1 a", "1.1 a1", "1.2 a2", "2 b", "2.1 b1", "3 c"]);
    expect(tocSize(toc)).toBe(6);
  });
  it("starts at the outermost level the note uses", () => {
    expect(outline(tableOfContents([h(3, "x"), h(4, "x1"), h(3, "y"), h(5, "z")]))).toEqual(["1 x", "1.1 x1", "2 y"]);
    expect(outline(tableOfContents([h(1, "top"), h(3, "sub"), h(1, "next")]))).toEqual(["1 top", "1.1 sub", "2 next"]);
  });
  it("numbers a subsection that comes before any section as a section", () => {
    expect(outline(tableOfContents([h(3, "intro"), h(2, "a"), h(3, "a1")]))).toEqual(["1 intro", "2 a", "2.1 a1"]);
  });
  it("prints no numbers of its own when every section is numbered in its heading", () => {
    expect(outline(tableOfContents([h(2, "1. 安装"), h(3, "pip"), h(2, "2. 使用")]))).toEqual([" 1. 安装", " pip", " 2. 使用"]);
    expect(outline(tableOfContents([h(2, "一、背景"), h(2, "二、方法")]))).toEqual([" 一、背景", " 二、方法"]);
    expect(outline(tableOfContents([h(2, "1. 安装"), h(2, "总结")]))).toEqual(["1 1. 安装", "2 总结"]);
    expect(outline(tableOfContents([h(2, "2016题目补充"), h(2, "3D 重建")]))).toEqual(["1 2016题目补充", "2 3D 重建"]);
  });
  it("is empty without headings", () => {
    expect(tableOfContents([])).toEqual([]);
  });
});
