// `npm run new -- "标题" --hexo <blog>` then `npm run build -- --hexo <blog>`: the new note is on the home page,
// named after `new_post_name`, dated now in the site timezone (real CLI, on a copy of the sample blog).
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { projectRoot, runScript, tempDir } from "./helpers/cli.ts";

it("a note made by `npm run new` appears on the home page after a build", () => {
  const blog = path.join(tempDir("new-note"), "blog");
  fs.cpSync(path.join(projectRoot, "content"), blog, { recursive: true });
  const made = runScript("new", ["量化交易 入门", "--hexo", blog]);
  expect(made.status, made.stderr).toBe(0);
  const file = /Created (.+\.md)/.exec(made.stdout)?.[1];
  expect(file).toBeTruthy();
  expect(path.basename(file!)).toBe("量化交易-入门.md"); // new_post_name :title.md, spaces become dashes as in Hexo
  const text = fs.readFileSync(file!, "utf8");
  // The title quoted (YAML-safe whatever the title holds), the date in the blog's timezone like `hexo new`.
  expect(text).toMatch(/^---\ntitle: "量化交易 入门"\ndate: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n/);
  // content/_config.yml says Asia/Shanghai: the date is now there (within a few minutes of this test).
  const date = /\ndate: (.+)\n/.exec(text)![1];
  const shanghaiNow = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "medium" }).format(new Date());
  const asUtc = (local: string) => Date.parse(`${local.replace(" ", "T")}Z`);
  expect(Math.abs(asUtc(shanghaiNow) - asUtc(date))).toBeLessThan(5 * 60_000);

  const again = runScript("new", ["量化交易 入门", "--hexo", blog]);
  expect(again.status).toBe(1); // never overwrites a note
  expect(again.stderr).toContain("already exists");

  const out = path.join(path.dirname(blog), "site");
  const build = runScript("build", ["--hexo", blog, "--output", out], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
  expect(build.status, build.stderr).toBe(0);
  const home = fs.readFileSync(path.join(out, "index.html"), "utf8");
  expect(home).toContain("量化交易 入门");
}, 120_000);
