import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fileBodyStore, memoryBodyStore } from "./body-store.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ["file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-bodies-"));
    dirs.push(dir);
    return { store: fileBodyStore(dir), dir };
  }],
  ["memory", () => ({ store: memoryBodyStore(), dir: undefined })],
])("%s body store", (_, make) => {
  it("gives back each body as it was put, in any order, with the digest of its text", () => {
    const { store } = make();
    const bodies = ["<p>注意力机制</p>\n", "", "<pre><code>print(1)\n</code></pre>", "😀 ".repeat(5000)];
    const refs = bodies.map((b) => store.put(b));
    // twice in a row too (the file store keeps the last one read); "" and the next body start at one offset
    for (const i of [3, 3, 0, 2, 1, 1, 2, 2, 0]) expect(store.get(refs[i])).toBe(bodies[i]);
    expect(refs[0].digest).toBe(memoryBodyStore().put("<p>注意力机制</p>\n").digest);
    expect(refs[0].digest).not.toBe(refs[2].digest);
    store.close();
    expect(() => store.get(refs[0])).toThrow(/after the build ended/);
  });
});

it("the file store leaves no file in its folder, even while it is open", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-bodies-"));
  dirs.push(dir);
  const store = fileBodyStore(dir);
  store.put("<p>x</p>");
  expect(fs.readdirSync(dir)).toEqual([]);
  store.close();
});
