import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createJsonCache } from "./json-cache.ts";

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-json-cache-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const key = (n: number) => n.toString(16).padStart(64, "0");

describe("json cache", () => {
  it("writes entries in the background; after flush another process reads every one", async () => {
    const dir = tmp();
    const cache = createJsonCache(dir);
    for (let i = 0; i < 50; i++) cache.set(key(i), { i, text: "注意力".repeat(i) });
    await cache.flush();
    const again = createJsonCache(dir);
    for (let i = 0; i < 50; i++) expect(again.get(key(i))).toEqual({ i, text: "注意力".repeat(i) });
    await again.flush(); // nothing pending: resolves at once
  });

  it("a torn or missing entry is a miss", async () => {
    const dir = tmp();
    const cache = createJsonCache(dir);
    cache.set(key(1), { a: 1 });
    await cache.flush();
    const file = path.join(dir, key(1).slice(0, 2), `${key(1)}.json`);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").slice(0, 4));
    expect(createJsonCache(dir).get(key(1))).toBeUndefined();
    expect(createJsonCache(dir).get(key(2))).toBeUndefined();
  });

  it("keeps entries in memory only when asked (npm start), and forgets the unused ones", async () => {
    const dir = tmp();
    const cache = createJsonCache(dir);
    cache.set(key(1), { v: "first" });
    await cache.flush();
    const file = path.join(dir, key(1).slice(0, 2), `${key(1)}.json`);
    fs.writeFileSync(file, JSON.stringify({ v: "on disk" }));
    expect(cache.get(key(1))).toEqual({ v: "on disk" }); // a one-shot build holds nothing: read from disk
    cache.keepInMemory(true);
    expect(cache.get(key(1))).toEqual({ v: "on disk" });
    fs.writeFileSync(file, JSON.stringify({ v: "changed" }));
    expect(cache.get(key(1))).toEqual({ v: "on disk" }); // kept
    cache.forgetUnused(); // asked for since the last call: still kept
    cache.forgetUnused(); // not asked for since: forgotten
    expect(cache.get(key(1))).toEqual({ v: "changed" });
  });

  it("hands out a fresh copy each time", () => {
    const cache = createJsonCache(tmp());
    cache.keepInMemory(true);
    cache.set(key(3), { list: [1] });
    (cache.get<{ list: number[] }>(key(3))!).list.push(2);
    expect(cache.get(key(3))).toEqual({ list: [1] });
  });
});
