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
const files = (dir: string) => fs.readdirSync(dir).sort();

describe("json cache", () => {
  it("keeps entries in one pack and its keys: after flush another process reads every one", async () => {
    const dir = tmp();
    const cache = createJsonCache(dir);
    for (let i = 0; i < 50; i++) cache.set(key(i), { i, text: "注意力".repeat(i) });
    expect(cache.get(key(7))).toEqual({ i: 7, text: "注意力".repeat(7) }); // this process reads its own pack at once
    await cache.flush();
    expect(files(dir).map((f) => path.extname(f))).toEqual([".keys", ".pack"]);
    const again = createJsonCache(dir);
    for (let i = 0; i < 50; i++) expect(again.get(key(i))).toEqual({ i, text: "注意力".repeat(i) });
    expect(again.get(key(99))).toBeUndefined();
  });

  it("a pack without its keys (a killed process) is not read; a damaged entry is a miss", async () => {
    const dir = tmp();
    const killed = createJsonCache(dir);
    killed.set(key(1), { a: 1 });
    expect(createJsonCache(dir).get(key(1))).toBeUndefined();
    const done = createJsonCache(dir);
    done.set(key(2), { b: 2 });
    await done.flush();
    const pack = files(dir).filter((f) => f.endsWith(".pack")).map((f) => path.join(dir, f)).find((f) => fs.statSync(f).size > 0 && fs.readFileSync(f, "utf8").includes('"b"'))!;
    fs.writeFileSync(pack, fs.readFileSync(pack, "utf8").replace('{"b":2}', '{"b":2'));
    expect(createJsonCache(dir).get(key(2))).toBeUndefined();
  });

  it("compacting keeps only what the build used, in one pack; unused packs go without a rewrite", async () => {
    const dir = tmp();
    const first = createJsonCache(dir);
    for (let i = 0; i < 10; i++) first.set(key(i), { i });
    await first.flush({ compact: true });
    const second = createJsonCache(dir); // another build: 6 notes unchanged, 4 gone, 2 new
    for (let i = 0; i < 6; i++) expect(second.get(key(i))).toEqual({ i });
    second.set(key(20), { i: 20 });
    second.set(key(21), { i: 21 });
    await second.flush({ compact: true });
    expect(files(dir).filter((f) => f.endsWith(".keys"))).toHaveLength(1);
    const third = createJsonCache(dir);
    for (const i of [0, 5, 20, 21]) expect(third.get(key(i))).toEqual({ i });
    for (const i of [6, 9]) expect(third.get(key(i))).toBeUndefined();
    // a build that used nothing of the old pack (the plugin code changed) drops it as it is
    const fourth = createJsonCache(dir);
    fourth.set(key(30), { i: 30 });
    await fourth.flush({ compact: true });
    expect(files(dir).filter((f) => f.endsWith(".keys"))).toHaveLength(1);
    expect(createJsonCache(dir).get(key(30))).toEqual({ i: 30 });
    expect(createJsonCache(dir).get(key(0))).toBeUndefined();
  });

  it("a build that changes nothing writes nothing", async () => {
    const dir = tmp();
    const first = createJsonCache(dir);
    first.set(key(1), { i: 1 });
    await first.flush({ compact: true });
    const before = files(dir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]);
    const second = createJsonCache(dir);
    expect(second.get(key(1))).toEqual({ i: 1 });
    await second.flush({ compact: true });
    expect(files(dir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs])).toEqual(before);
  });

  it("keeps entries in memory only when asked (npm start), and forgets the unused ones", async () => {
    const dir = tmp();
    const writer = createJsonCache(dir);
    writer.set(key(1), { v: "first" });
    await writer.flush();
    const pack = path.join(dir, files(dir).find((f) => f.endsWith(".pack"))!);
    const damage = () => fs.writeFileSync(pack, "x".repeat(fs.statSync(pack).size)); // the same file, other bytes
    const restore = (text: string) => fs.writeFileSync(pack, text);
    const original = fs.readFileSync(pack, "utf8");

    const oneShot = createJsonCache(dir);
    expect(oneShot.get(key(1))).toEqual({ v: "first" });
    damage();
    expect(oneShot.get(key(1))).toBeUndefined(); // a one-shot build keeps nothing: read again, from the pack
    restore(original);

    const serving = createJsonCache(dir);
    serving.keepInMemory(true);
    expect(serving.get(key(1))).toEqual({ v: "first" });
    damage();
    expect(serving.get(key(1))).toEqual({ v: "first" }); // kept
    serving.forgetUnused(); // asked for since the last call: still kept
    expect(serving.get(key(1))).toEqual({ v: "first" });
    serving.forgetUnused();
    serving.forgetUnused(); // not asked for since: forgotten, so read from the pack again
    expect(serving.get(key(1))).toBeUndefined();
  });

  it("hands out a fresh copy each time", () => {
    const cache = createJsonCache(tmp());
    cache.keepInMemory(true);
    cache.set(key(3), { list: [1] });
    (cache.get<{ list: number[] }>(key(3))!).list.push(2);
    expect(cache.get(key(3))).toEqual({ list: [1] });
  });
});
