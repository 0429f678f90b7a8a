// Moving a published Hexo blog: every page and heading anchor of the deployed tom89757 site (read from its HTML into
// ../shared/corpus/tom89757-live.json) must be on the new site, without being told that site's renderer.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runScript, sharedDir, tempDir } from "./helpers/cli.ts";
import { loadLiveSite, writeLiveSite } from "./helpers/live-site.ts";

const blog = path.join(sharedDir, "corpus/tom89757");
const env = { VERINOTES_CACHE: "off", VERINOTES_VERIFY: "off" };

interface MoveJson {
  missingPages: string[];
  missingAnchors: { route: string; id: string }[];
}

function checkAgainst(site: string, old: string): { status: number | null; stdout: string; stderr: string; json: MoveJson } {
  const jsonFile = path.join(tempDir("move-json"), "report.json");
  const result = runScript("check", [site, "--against", old, "--json", jsonFile]);
  return { ...result, json: JSON.parse(fs.readFileSync(jsonFile, "utf8")) as MoveJson };
}

describe("tom89757 moved from its deployed site", () => {
  const live = loadLiveSite();
  const liveIds = Object.values(live.heading_ids).flat().length;
  const oldSite = tempDir("live-site");
  const out = tempDir("tom-moved");
  let build: ReturnType<typeof runScript>;
  beforeAll(() => {
    writeLiveSite(oldSite, live);
    build = runScript("build", ["--hexo", blog, "--output", out], env);
  });

  it("the live site has the 829 heading ids the issue counts", () => {
    expect(liveIds).toBe(829);
  });

  it("infers the renderer the site was published with and says so in the summary", () => {
    expect(build.status).toBe(0);
    expect(build.stdout).toMatch(/^Heading ids: markdown-it-plus style, inferred \(213 of the notes' 233 #anchor links resolve with it \(Hexo's default: 42\)\)/m);
  });

  it("every page of the old site is there, and at least 99% of its heading ids resolve (all of them today)", () => {
    const moved = checkAgainst(out, oldSite);
    expect(moved.json.missingPages).toEqual([]);
    expect(moved.json.missingAnchors.length).toBeLessThanOrEqual(Math.floor(liveIds * 0.01));
    expect(moved.json.missingAnchors).toEqual([]);
    expect(moved.stdout).toContain(`312 pages and 829 heading ids of the old site; 0 pages and 0 anchors missing`);
  });

  it("a page and an anchor taken away from the new site are reported, exactly those two", () => {
    const cut = tempDir("tom-cut");
    fs.cpSync(out, cut, { recursive: true });
    fs.rmSync(path.join(cut, "2022/07/27/Charles配置/index.html"));
    const page = path.join(cut, "2022/07/20/PyTorch-Module-subclasses/index.html");
    const html = fs.readFileSync(page, "utf8");
    expect(html).toContain('id="torchnnconv2d"');
    fs.writeFileSync(page, html.replace('id="torchnnconv2d"', 'id="renamed"'));
    const moved = checkAgainst(cut, oldSite);
    expect(moved.status).toBe(1);
    expect(moved.json.missingPages).toEqual(["2022/07/27/Charles配置/"]);
    expect(moved.json.missingAnchors).toEqual([{ route: "2022/07/20/PyTorch-Module-subclasses/", id: "torchnnconv2d" }]);
    expect(moved.stderr).toContain("anchor missing: /2022/07/20/PyTorch-Module-subclasses/#torchnnconv2d");
    expect(moved.stdout).toContain("1 pages and 1 anchors missing");
  });

  it("with Hexo's ids forced, --keep-anchors-from the old site still makes every old id resolve", () => {
    const hexoOnly = tempDir("tom-hexo");
    expect(runScript("build", ["--hexo", blog, "--output", hexoOnly, "--heading-ids", "hexo"], env).status).toBe(0);
    const without = checkAgainst(hexoOnly, oldSite);
    expect(without.json.missingAnchors.length).toBe(492); // the count: only 337 of 829 resolve with Hexo's ids

    const kept = tempDir("tom-kept");
    const keptBuild = runScript("build", ["--hexo", blog, "--output", kept, "--heading-ids", "hexo", "--keep-anchors-from", oldSite], env);
    expect(keptBuild.status).toBe(0);
    expect(keptBuild.stdout).toMatch(/^Heading ids: hexo style, configured/m);
    const moved = checkAgainst(kept, oldSite);
    expect(moved.json.missingAnchors).toEqual([]);
    // The old ids are aliases: the headings keep Hexo's ids.
    const page = fs.readFileSync(path.join(kept, "2022/07/20/PyTorch-Module-subclasses/index.html"), "utf8");
    expect(page).toMatch(/<h\d id="torch-nn-Conv2d"><span class="heading-alias" id="torchnnconv2d"><\/span>/);
  }, 180_000); // two full builds of the blog: past the default minute on a loaded machine
});
