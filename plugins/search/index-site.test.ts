import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { htmlFiles, pageUrl } from "./index-site.ts";

describe("the pages the index reads", () => {
  it("are the HTML files of the site, raw UTF-8 names included, not those of the bundle or its staging copies", () => {
    const site = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-index-site-"));
    for (const rel of ["index.html", "2022/06/03/笔记/index.html", "tags/C#/index.html", "a.css", "pagefind/x.html", "pagefind.tmp-12/y.html", "docs/pagefind/z.html"]) {
      fs.mkdirSync(path.dirname(path.join(site, rel)), { recursive: true });
      fs.writeFileSync(path.join(site, rel), "<p>x</p>");
    }
    fs.symlinkSync("/etc", path.join(site, "etc"));
    expect(htmlFiles(site, "pagefind").sort()).toEqual(["2022/06/03/笔记/index.html", "docs/pagefind/z.html", "index.html", "tags/C#/index.html"]);
    expect(pageUrl("tags/C#/index.html")).toBe("/tags/C%23/");
  });
});
