// URLs keep the dates of the machine that built the Hexo site: UTC by default, `--permalink-timezone` otherwise.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { runScript, tempDir, writeTree } from "./helpers/cli.ts";

it("--permalink-timezone moves the date in the URL, not the date shown", () => {
  const blog = tempDir("tz-blog");
  // 00:30 in Shanghai is 16:30 the day before in UTC.
  writeTree(blog, {
    "_config.yml": "title: tz\ntimezone: Asia/Shanghai\n",
    "source/_posts/early.md": "---\ntitle: Early\ndate: 2022-06-03 00:30:00\n---\n\nText.\n",
  });
  const build = (args: string[]) => {
    const out = tempDir("tz-out");
    const r = runScript("build", ["--hexo", blog, "--output", out, ...args], { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" });
    expect(r.status, r.stderr).toBe(0);
    return out;
  };
  const utc = build([]);
  expect(fs.existsSync(path.join(utc, "2022/06/02/early/index.html"))).toBe(true);
  expect(fs.readFileSync(path.join(utc, "2022/06/02/early/index.html"), "utf8")).toContain("2022-06-03"); // shown in the site's timezone
  const shanghai = build(["--permalink-timezone", "Asia/Shanghai"]);
  expect(fs.existsSync(path.join(shanghai, "2022/06/03/early/index.html"))).toBe(true);
  expect(fs.readFileSync(path.join(shanghai, "2022/06/03/early/index.html"), "utf8")).toContain("2022-06-03");

  const wrong = runScript("build", ["--hexo", blog, "--output", tempDir("tz-bad"), "--permalink-timezone", "Mars/Olympus"]);
  expect(wrong.status).toBe(2);
  expect(wrong.stderr).toContain("is not a timezone");
}, 120_000);
