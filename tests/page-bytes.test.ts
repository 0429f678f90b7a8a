// The notes plugin hands Eleventy its pages as UTF-8 bytes (plugins/hexo/page-bytes.ts: Eleventy keeps every page
// until a build ends, and bytes take half the memory of a CJK page's string) only where nothing reads them as text
// afterwards: `--to=json` gets text, a transform added after the plugin's gets text, and the files are the same.
// Real Eleventy builds.
import fs from "node:fs";
import path from "node:path";
import type Eleventy from "@11ty/eleventy";
import type UserConfig from "@11ty/eleventy/UserConfig";
import { beforeAll, describe, expect, it } from "vitest";
import hexoNotes from "../plugins/hexo/index.ts";
import { DELAYED_BUNDLES, PAGE_BYTES, pagesAsBytes } from "../plugins/hexo/page-bytes.ts";
import { tempDir, writeTree } from "./helpers/cli.ts";
import { eleventyWith } from "./helpers/eleventy.ts";

const dir = tempDir("page-bytes");
const notes = path.join(dir, "notes");
const page = "2024/01/02/zh/index.html";

interface Written {
  outputPath: string;
  content: unknown;
}

function eleventy(name: string, extra: (config: UserConfig) => void = () => {}): { elev: Eleventy; out: string } {
  const out = path.join(dir, name);
  const elev = eleventyWith(dir, out, (config) => {
    config.addPlugin(hexoNotes, { input: notes, cacheDir: false, now: new Date("2025-01-01T00:00:00Z") });
    extra(config);
  });
  return { elev, out };
}

const pageOf = (written: Written[], out: string) => written.find((w) => path.resolve(w.outputPath) === path.resolve(out, page))!;

describe("pages handed to Eleventy as bytes", () => {
  let bytes: { written: Written[]; out: string };
  let json: Written[];
  let transformed: { seen: string[]; order: string[]; out: string };
  beforeAll(async () => {
    writeTree(notes, { "zh.md": "---\ntitle: 中文\ndate: 2024-01-02 10:00:00\n---\n\n多进程与多线程。\n" });
    const plain = eleventy("bytes");
    const [, templates] = (await plain.elev.write()) as [unknown, Written[]];
    bytes = { written: templates, out: plain.out };
    json = (await eleventy("json").elev.toJSON()) as Written[];
    const seen: string[] = [];
    // added by a plugin added after the notes plugin: the transform runs after the notes plugin's
    const later = eleventy("later", (config) =>
      config.addPlugin((after: UserConfig) =>
        after.addTransform("after-the-plugin", (content: unknown) => {
          seen.push(typeof content);
          return typeof content === "string" ? content.replace("多进程", "多进程!") : content;
        }),
      ),
    );
    let order: string[] = [];
    const probe = eleventy("order", (config) => {
      config.addPlugin((after: UserConfig) => after.addTransform("after-the-plugin", (content: unknown) => content));
      config.on("eleventy.before", () => (order = Object.keys(config.transforms ?? {})));
    });
    await probe.elev.toJSON();
    await later.elev.write();
    transformed = { seen, order, out: later.out };
  }, 120_000);

  it("writes a build's pages from bytes, as the same UTF-8 text", () => {
    const written = pageOf(bytes.written, bytes.out);
    expect(Buffer.isBuffer(written.content)).toBe(true);
    const file = fs.readFileSync(path.join(bytes.out, page), "utf8");
    expect((written.content as Buffer).toString("utf8")).toBe(file);
    expect(file).toContain("多进程与多线程。");
  });

  it("gives `--to=json` the pages as text", () => {
    const entry = json.find((w) => w.outputPath && path.resolve(w.outputPath) === path.resolve(dir, "json", page))!;
    expect(typeof entry.content).toBe("string");
    expect(entry.content).toBe(fs.readFileSync(path.join(bytes.out, page), "utf8"));
  });

  it("leaves the pages as text when another transform comes after its own", () => {
    expect(transformed.order.indexOf("after-the-plugin")).toBeGreaterThan(transformed.order.indexOf(PAGE_BYTES));
    expect(transformed.seen.length).toBeGreaterThan(0);
    expect(new Set(transformed.seen)).toEqual(new Set(["string"]));
    expect(fs.readFileSync(path.join(transformed.out, page), "utf8")).toContain("多进程!与多线程。");
  });
});

describe("pagesAsBytes", () => {
  const mine = ["@11ty/eleventy/html-transformer", PAGE_BYTES];
  const build = { runMode: "build", outputMode: "fs", transforms: mine, delayedBundles: false };
  it("is for a one-shot build to files with no transform after the plugin's that may touch a page", () => {
    expect(pagesAsBytes(build)).toBe(true);
    expect(pagesAsBytes({ ...build, outputMode: undefined })).toBe(true);
    expect(pagesAsBytes({ ...build, transforms: [...mine, DELAYED_BUNDLES] })).toBe(true);
    expect(pagesAsBytes({ ...build, runMode: "watch" })).toBe(false);
    expect(pagesAsBytes({ ...build, runMode: "serve" })).toBe(false);
    expect(pagesAsBytes({ ...build, outputMode: "json" })).toBe(false);
    expect(pagesAsBytes({ ...build, outputMode: "ndjson" })).toBe(false);
    expect(pagesAsBytes({ ...build, transforms: [...mine, "minify"] })).toBe(false);
    expect(pagesAsBytes({ ...build, transforms: [...mine, DELAYED_BUNDLES], delayedBundles: true })).toBe(false);
    expect(pagesAsBytes({ ...build, transforms: ["minify"] })).toBe(false);
  });
});
