import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pageStore } from "./page-store.ts";

const temp = () => fs.mkdtempSync(path.join(os.tmpdir(), "page-store-"));
const packs = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".pack"));

describe("pageStore", () => {
  it("writes a kept page back only for the same route, values and context", () => {
    const dir = temp();
    const out = temp();
    const first = pageStore(dir, "ctx");
    expect(first.restore("a/index.html", "d1", path.join(out, "a/index.html"))).toBe(false);
    first.keep("a/index.html", "d1", "<p>A 注意</p>");
    first.keep("b/index.html", "d2", Buffer.from("<p>B</p>"));
    first.save();

    const next = pageStore(dir, "ctx");
    expect(next.restore("a/index.html", "d1", path.join(out, "x/a/index.html"))).toBe(true);
    expect(fs.readFileSync(path.join(out, "x/a/index.html"), "utf8")).toBe("<p>A 注意</p>");
    expect(next.restore("b/index.html", "d2", path.join(out, "b/index.html"))).toBe(true);
    expect(fs.readFileSync(path.join(out, "b/index.html"), "utf8")).toBe("<p>B</p>");
    expect(next.restore("a/index.html", "changed", path.join(out, "c.html"))).toBe(false);
    expect(next.restore("b/index.html", "d1", path.join(out, "c.html"))).toBe(false);
    expect(pageStore(dir, "other layouts").restore("a/index.html", "d1", path.join(out, "c.html"))).toBe(false);
  });

  it("keeps only the pages the last build restored, held or kept, and writes nothing when that is what it has", () => {
    const dir = temp();
    const out = temp();
    const first = pageStore(dir, "ctx");
    for (const p of ["a", "b", "c"]) first.keep(p, "d", `page ${p}`);
    first.save();
    const [pack] = packs(dir);

    const same = pageStore(dir, "ctx");
    same.restore("a", "d", path.join(out, "a"));
    same.hold("b", "d");
    same.restore("c", "d", path.join(out, "c"));
    same.save();
    expect(packs(dir)).toEqual([pack]); // nothing changed: no new pack

    const fewer = pageStore(dir, "ctx");
    fewer.restore("a", "d", path.join(out, "a"));
    fewer.keep("b", "new", "page b, edited");
    fewer.save(); // c is gone from the site
    expect(packs(dir)).toHaveLength(1);
    expect(packs(dir)[0]).not.toBe(pack);
    const last = pageStore(dir, "ctx");
    expect(last.restore("a", "d", path.join(out, "a2"))).toBe(true);
    expect(fs.readFileSync(path.join(out, "a2"), "utf8")).toBe("page a");
    expect(last.restore("b", "new", path.join(out, "b2"))).toBe(true);
    expect(fs.readFileSync(path.join(out, "b2"), "utf8")).toBe("page b, edited");
    expect(last.restore("b", "d", path.join(out, "b3"))).toBe(false);
    expect(last.restore("c", "d", path.join(out, "c2"))).toBe(false);
  });

  it("restores nothing from a pack that is gone or shorter than its index says", () => {
    const dir = temp();
    const out = temp();
    const first = pageStore(dir, "ctx");
    first.keep("a", "d", "a page of some length");
    first.save();
    const [pack] = packs(dir);
    fs.truncateSync(path.join(dir, pack), 5);
    expect(pageStore(dir, "ctx").restore("a", "d", path.join(out, "a"))).toBe(false);
    fs.rmSync(path.join(dir, pack));
    expect(pageStore(dir, "ctx").restore("a", "d", path.join(out, "a"))).toBe(false);
    expect(fs.existsSync(path.join(out, "a"))).toBe(false);
  });
});
