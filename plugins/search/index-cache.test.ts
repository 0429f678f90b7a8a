// The index is reused only when the indexed pages and options are what it was built from (real Pagefind).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { indexSite } from "./index-site.ts";
import { resolveSearchOptions } from "./options.ts";
import { KEY_FILE } from "./index-cache.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vn-search-cache-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><nav>menu</nav><main data-pagefind-body><h1>${title}</h1><p>${body}</p></main></body></html>`;

function site(name: string, pages: Record<string, string>): string {
  const root = path.join(dir, name);
  for (const [rel, html] of Object.entries(pages)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), html);
  }
  return root;
}

describe("indexSite reuses an index whose pages did not change", () => {
  const cacheDir = path.join(dir, "cache");
  const options = resolveSearchOptions({ cacheDir, onIndexed: () => {} });
  const pages = { "a/index.html": page("Alpha", "argparse parse_args"), "b/index.html": page("Beta", "logging basicConfig"), "index.html": "<html><body>home</body></html>" };

  it("indexes, then keeps the bundle, re-indexes after an edit, and restores from the cache into a fresh output folder", async () => {
    const out = site("one", pages);
    const first = await indexSite(out, options);
    expect(first).toMatchObject({ reused: false, pages: 2, errors: [] });
    const key = fs.readFileSync(path.join(out, "pagefind", KEY_FILE), "utf8").trim();
    expect(key).toMatch(/^[0-9a-f]{32}$/);

    const second = await indexSite(out, options);
    expect(second).toMatchObject({ reused: "output", pages: 2 });

    fs.writeFileSync(path.join(out, "b/index.html"), page("Beta", "logging dictConfig"));
    const edited = await indexSite(out, options);
    expect(edited.reused).toBe(false);
    expect(fs.readFileSync(path.join(out, "pagefind", KEY_FILE), "utf8").trim()).not.toBe(key);

    // A listing page (not searchable) changing does not change the index.
    fs.writeFileSync(path.join(out, "index.html"), "<html><body>home, newer</body></html>");
    expect((await indexSite(out, options)).reused).toBe("output");

    const fresh = site("two", { ...pages, "b/index.html": page("Beta", "logging dictConfig") });
    const restored = await indexSite(fresh, options);
    expect(restored).toMatchObject({ reused: "cache", pages: 2 });
    expect(fs.readdirSync(path.join(fresh, "pagefind")).sort()).toEqual(fs.readdirSync(path.join(out, "pagefind")).sort());
    // The cache keeps the newest bundles only: after a third version, the first one is gone.
    fs.writeFileSync(path.join(out, "b/index.html"), page("Beta", "logging handlers"));
    expect((await indexSite(out, options)).reused).toBe(false);
    expect(fs.readdirSync(cacheDir).filter((n) => /^[0-9a-f]{32}$/.test(n)).length).toBe(2);
    expect(fs.existsSync(path.join(cacheDir, key))).toBe(false);
  }, 120_000);

  it("re-indexes when an option that shapes the bundle changes", async () => {
    const out = site("three", pages);
    await indexSite(out, options);
    const other = await indexSite(out, resolveSearchOptions({ cacheDir, splitCjk: false, onIndexed: () => {} }));
    expect(other.reused).toBe(false);
  }, 120_000);
});
