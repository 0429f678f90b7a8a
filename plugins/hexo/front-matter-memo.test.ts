// Front matter kept across builds (front-matter-memo.ts): what comes back is what js-yaml gave, down to the dates'
// kinds, and a value JSON would change is not kept at all.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OffsetTimestamp } from "./dates.ts";
import { decode, encode, frontMatterMemo, type KeyValueStore } from "./front-matter-memo.ts";
import { parseFrontMatter } from "./frontmatter.ts";

/** A store as the render cache is: values kept as JSON text, a fresh copy at each get. */
function jsonStore(): KeyValueStore & { size: () => number; gets: number } {
  const kept = new Map<string, string>();
  const store = {
    gets: 0,
    size: () => kept.size,
    get<T>(key: string): T | undefined {
      const text = kept.get(key);
      if (text === undefined) return undefined;
      store.gets++;
      return JSON.parse(text) as T;
    },
    set(key: string, value: unknown) {
      kept.set(key, JSON.stringify(value));
    },
  };
  return store;
}

const roundTrip = (value: unknown) => decode(JSON.parse(JSON.stringify(encode(value))));

describe("the front matter memo", () => {
  it("gives back strings, numbers, lists, maps and both kinds of dates as they were", () => {
    const value = {
      title: "numpy中知识点",
      date: new Date(Date.UTC(2018, 0, 1, 9, 38, 2)),
      updated: new OffsetTimestamp(Date.UTC(2020, 5, 1)),
      tags: ["a", 1, 2.5, true, null, { nested: [new Date(0)] }],
      "123": "an integer-like key",
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toStrictEqual(value);
    expect(back.updated).toBeInstanceOf(OffsetTimestamp);
    expect(back.date).not.toBeInstanceOf(OffsetTimestamp);
    expect(Object.keys(back)).toEqual(Object.keys(value));
  });

  it("does not keep what JSON would change", () => {
    const odd = [NaN, Infinity, -0, new Uint8Array([1]), Object.create(null), new Date(NaN), { a: [1, NaN] }, { ["\0date"]: 1 }];
    odd.forEach((value, i) => {
      const store = jsonStore();
      frontMatterMemo(store, "salt").set("block", false, value);
      expect(store.size(), `value ${i}`).toBe(0);
    });
  });

  it("parses each note of tom89757 once: the second parse comes from the memo and is the same", () => {
    const root = path.resolve(import.meta.dirname, "../../../shared/corpus/tom89757/source/_posts");
    const store = jsonStore();
    const memo = frontMatterMemo(store, "salt");
    const files = fs.readdirSync(root).filter((f) => f.endsWith(".md"));
    for (const f of files) {
      const text = fs.readFileSync(path.join(root, f), "utf8").replace(/\r\n/g, "\n");
      const fresh = parseFrontMatter(text);
      expect(parseFrontMatter(text, memo), f).toStrictEqual(fresh);
      expect(parseFrontMatter(text, memo), f).toStrictEqual(fresh);
    }
    expect(store.size()).toBeGreaterThan(files.length / 2);
    expect(store.gets).toBeGreaterThanOrEqual(store.size());
  });

  it("reads a block again under another salt or form", () => {
    const store = jsonStore();
    frontMatterMemo(store, "one").set("title: a", false, { title: "a" });
    expect(frontMatterMemo(store, "one").get("title: a", false)).toEqual({ value: { title: "a" } });
    expect(frontMatterMemo(store, "two").get("title: a", false)).toBeUndefined();
    expect(frontMatterMemo(store, "one").get("title: a", true)).toBeUndefined();
  });
});
