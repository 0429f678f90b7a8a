// The pure helpers of the browser script (layouts/assets/search.js): query plans, result order, links.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { splitCjkText } from "./cjk.ts";

interface Result {
  id: string;
  score: number;
}
interface Client {
  splitCjk(text: string): string;
  joinCjk(html: string): string;
  planQuery(query: string, lang?: string, options?: { splitCjk?: boolean }): { phrase: string; required: string[]; loose: string; otherWords: string[] } | undefined;
  rankResults(runs: { phrase: Result[]; required: Result[][]; loose: Result[] }): { withPhrase: Result[]; withWords: Result[] };
  inOrder(results: Result[], sortedIds: string[]): Result[];
  onlyNearMisses(data: { content: string; locations: number[] }, queryWords: string[]): boolean;
  withHighlight(url: string, query: string): string;
  bestSection(data: unknown): { url: string };
}
const client: Client = await import(pathToFileURL(path.resolve(import.meta.dirname, "../../layouts/assets/search.js")).href);

describe("CJK queries are split as the index is", () => {
  it.each(["注意力机制", "定制化的数据集 parse_args", "2017年Transformer模型", "ひらがな", "𠀀𠀁"])("%s", (text) => {
    expect(client.splitCjk(text)).toBe(splitCjkText(text));
  });

  it("joins Pagefind's excerpts back, across <mark> tags", () => {
    expect(client.joinCjk("用 于 <mark>多</mark> <mark>进</mark> <mark>程</mark> 的 parse_args 和 argparse")).toBe("用于<mark>多进程</mark>的 parse_args 和 argparse");
    expect(client.joinCjk("使 用chatGPT完 成")).toBe("使用chatGPT完成");
  });
});

describe("planQuery", () => {
  it.each([
    { query: "注意力机制", plan: { phrase: '"注 意 力 机 制"', required: ['"注 意 力"', '"机 制"'], loose: "注 意 力 机 制", otherWords: [] } },
    // 显|卡|驱动: single characters are not required on their own.
    { query: "显卡驱动", plan: { phrase: '"显 卡 驱 动"', required: ['"驱 动"'], loose: "显 卡 驱 动", otherWords: [] } },
    { query: "图床", plan: { phrase: '"图 床"', required: [], loose: "图 床", otherWords: [] } },
    { query: "parse_args", plan: { phrase: '"parse_args"', required: ["parse_args"], loose: "parse_args", otherWords: ["parse_args"] } },
    { query: "  torch  DataParallel ", plan: { phrase: '"torch DataParallel"', required: ["torch DataParallel"], loose: "torch DataParallel", otherWords: ["torch", "DataParallel"] } },
    { query: "DataParallel 多进程", plan: { phrase: '"DataParallel 多 进 程"', required: ['"进 程"', "DataParallel"], loose: "DataParallel 多 进 程", otherWords: ["DataParallel"] } },
    { query: "“注意力机制”", plan: { phrase: '"注 意 力 机 制"', required: [], loose: "注 意 力 机 制", otherWords: [] } },
  ])("$query", ({ query, plan }) => {
    expect(client.planQuery(query, "zh-CN")).toEqual(plan);
  });

  it("leaves CJK words whole when the index was built without splitting", () => {
    expect(client.planQuery("注意力机制", "zh-CN", { splitCjk: false })).toEqual({ phrase: '"注意力机制"', required: ['"注意力"', '"机制"'], loose: "注意力机制", otherWords: [] });
  });

  it("has nothing to search for an empty query", () => {
    expect(client.planQuery("  ", "zh-CN")).toBeUndefined();
    expect(client.planQuery('""', "zh-CN")).toBeUndefined();
  });
});

describe("rankResults and inOrder", () => {
  const r = (id: string, score = 1) => ({ id, score });
  const loose = [r("scattered", 9), r("phrase-low", 2), r("phrase-high", 5), r("words-a", 3), r("words-b", 4), r("one-word", 8)];

  it("puts notes with the exact phrase first, then notes with every word, each by the loose score", () => {
    const ranked = client.rankResults({
      phrase: [r("phrase-low"), r("phrase-high")],
      required: [
        [r("phrase-low"), r("phrase-high"), r("words-a"), r("words-b"), r("one-word")],
        [r("phrase-low"), r("phrase-high"), r("words-a"), r("words-b")],
      ],
      loose,
    });
    // `scattered` has every character but neither the phrase nor the words; `one-word` lacks a word.
    expect(ranked.withPhrase.map((x) => x.id)).toEqual(["phrase-high", "phrase-low"]);
    expect(ranked.withWords.map((x) => x.id)).toEqual(["words-b", "words-a"]);
  });

  it("keeps only the phrase matches when nothing else is required", () => {
    expect(client.rankResults({ phrase: [r("phrase-low")], required: [], loose }).withWords).toEqual([]);
  });

  it("orders results by the requested sort", () => {
    const ordered = client.inOrder([r("phrase-low"), r("phrase-high"), r("words-a")], ["words-a", "scattered", "phrase-high", "phrase-low"]);
    expect(ordered.map((x) => x.id)).toEqual(["words-a", "phrase-high", "phrase-low"]);
  });
});

describe("onlyNearMisses: Pagefind's answer to a word it does not know", () => {
  const at = (content: string, word: string) => ({ content, locations: [content.split(" ").indexOf(word)] });

  it.each([
    { query: "passed", data: at("print([round(p, 3) for p in xs])", "p"), near: true },
    { query: "passed", data: at("all tests passed today", "passed"), near: false },
    { query: "passes", data: at("the loop passing values", "passing"), near: false }, // stemmed
    { query: "argparser", data: at("import argparse here", "argparse"), near: false }, // a typo, close enough
    { query: "argpa", data: at("parser = argparse.ArgumentParser(prog='demo')", "argparse.ArgumentParser(prog='demo')"), near: false },
    { query: "parse_args", data: at("args = parser.parse_args()", "parser.parse_args()"), near: false },
    { query: "py", data: at("a p here", "p"), near: true },
  ])("$query in “$data.content”: $near", ({ query, data, near }) => {
    expect(client.onlyNearMisses(data, [query])).toBe(near);
  });
});

describe("links", () => {
  it("puts ?highlight= before the anchor", () => {
    expect(client.withHighlight("/2022/06/03/a/#2-%E5%B8%B8", "多 进程")).toBe("/2022/06/03/a/?highlight=%E5%A4%9A%20%E8%BF%9B%E7%A8%8B#2-%E5%B8%B8");
    expect(client.withHighlight("/a/", "x&y")).toBe("/a/?highlight=x%26y");
  });

  it("links a result to the section with the most matches", () => {
    const data = {
      url: "/a/",
      meta: { title: "A" },
      sub_results: [
        { url: "/a/", locations: [1] },
        { url: "/a/#usage", locations: [40, 52, 60] },
        { url: "/a/#setup", locations: [20] },
      ],
    };
    expect(client.bestSection(data).url).toBe("/a/#usage");
    expect(client.bestSection({ url: "/b/", meta: { title: "B" }, sub_results: [] }).url).toBe("/b/");
  });
});
