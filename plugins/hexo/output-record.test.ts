import { describe, expect, it } from "vitest";
import { makeRecord, parseRecord, reusablePages, staleFiles } from "./output-record.ts";

const pages = new Map([["a/index.html", "d1"], ["index.html", "d2"]]);
const record = makeRecord("ctx", pages, ["a/index.html", "index.html", "a/snippets/01.py", "index.html"]);

describe("the output record", () => {
  it("round-trips, lists each file once, and refuses what it does not know", () => {
    expect(parseRecord(JSON.stringify(record))).toEqual(record);
    expect(record.files).toEqual(["a/index.html", "a/snippets/01.py", "index.html"]);
    expect(parseRecord(undefined)).toBeUndefined();
    expect(parseRecord("{not json")).toBeUndefined();
    expect(parseRecord(JSON.stringify({ ...record, version: 99 }))).toBeUndefined();
  });

  it("reuses pages only under the same context and only when their file is still there", () => {
    expect(reusablePages(record, "other", () => true)).toBeUndefined();
    expect(reusablePages(undefined, "ctx", () => true)).toBeUndefined();
    expect([...reusablePages(record, "ctx", (route) => route !== "index.html")!]).toEqual([["a/index.html", "d1"]]);
  });

  it("names the files of the previous build that the new one does not write, never outside the folder", () => {
    const next = makeRecord("ctx", new Map([["index.html", "d3"]]), ["index.html"]);
    expect(staleFiles(record, next)).toEqual(["a/index.html", "a/snippets/01.py"]);
    expect(staleFiles(undefined, next)).toEqual([]);
    const hostile = { ...record, files: ["../outside.txt", "a/../../x"] };
    expect(staleFiles(hostile, next)).toEqual([]);
  });
});
