// The code digests in cache keys: the compiled CLI of a checkout (dist/, fresh by scripts/run-cli.mjs) hashes the
// sources it was built from, so that it and tsx share one cache; anything else hashes the folder it runs from.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { codeDigest, codeFolderOf, packageVersion } from "./code-digest.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-code-digest-"));
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};
write("plugins/snippets/runners/worker.py", "print(1)\n");
write("plugins/snippets/runners/pool.ts", "export const a: number = 1;\n");
write("plugins/snippets/runners/pool.test.ts", "test\n");
write("dist/plugins/snippets/runners/worker.py", "print(1)\n");
write("dist/plugins/snippets/runners/pool.js", "export const a = 1;\n");
write("dist/plugins/snippets/runners/pool.d.ts", "export declare const a: number;\n");
write("dist/plugins/only-compiled/x.js", "\n");
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.VERINOTES_DIST_BUILT_FROM;
});

const runners = (base: string) => path.join(root, base, "snippets/runners");

describe("codeDigest", () => {
  it("of a checkout's dist/ folder is its sources' when the launcher found dist/ fresh", () => {
    const sources = codeDigest([runners("plugins")]);
    expect(codeDigest([runners("dist/plugins")])).not.toBe(sources);
    process.env.VERINOTES_DIST_BUILT_FROM = root;
    expect(codeDigest([runners("dist/plugins")])).toBe(sources);
    expect(codeDigest([runners("plugins")])).toBe(sources);
  });

  it("changes with any source but a test", () => {
    const before = codeDigest([runners("plugins")]);
    write("plugins/snippets/runners/pool.test.ts", "changed\n");
    expect(codeDigest([runners("plugins")])).toBe(before);
    write("plugins/snippets/runners/worker.py", "print(2)\n");
    expect(codeDigest([runners("plugins")])).not.toBe(before);
  });
});

describe("codeFolderOf", () => {
  it("maps a folder below <checkout>/dist to the same folder of the checkout, when it exists", () => {
    expect(codeFolderOf(path.join(root, "dist/plugins"), root)).toBe(path.join(root, "plugins"));
    expect(codeFolderOf(path.join(root, "dist/plugins/only-compiled"), root)).toBe(path.join(root, "dist/plugins/only-compiled"));
  });

  it("leaves every other folder as it is", () => {
    expect(codeFolderOf(path.join(root, "dist/plugins"), undefined)).toBe(path.join(root, "dist/plugins"));
    expect(codeFolderOf(path.join(root, "dist"), root)).toBe(path.join(root, "dist"));
    expect(codeFolderOf(path.join(root, "plugins"), root)).toBe(path.join(root, "plugins"));
    expect(codeFolderOf("/elsewhere/dist/plugins", root)).toBe("/elsewhere/dist/plugins");
  });
});

describe("packageVersion", () => {
  it("reads an installed package's version, also when the package does not export its package.json", () => {
    const pagefind = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../../node_modules/pagefind/package.json"), "utf8")) as { version: string };
    expect(packageVersion("pagefind")).toBe(pagefind.version);
    expect(packageVersion("fflate")).toMatch(/^\d+\.\d+\.\d+/);
    expect(packageVersion("no-such-package-verinotes")).toBe("");
  });
});
