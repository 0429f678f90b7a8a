// Real git repositories in a temporary folder: commits with set dates, a subfolder as the blog's source.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { lastChanges, parseGitLog } from "./git-history.ts";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "verinotes-git-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function commitAt(repo: string, date: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), text);
  }
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@b", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@b" };
  execFileSync("git", ["-C", repo, "add", "-A"], { env });
  execFileSync("git", ["-C", repo, "commit", "-q", "-m", `at ${date}`], { env });
}

describe("lastChanges", () => {
  it("gives each committed file under the folder the date of its last commit, paths relative to the folder", async () => {
    const repo = path.join(temp, "blog");
    fs.mkdirSync(repo);
    execFileSync("git", ["-C", repo, "init", "-q"]);
    commitAt(repo, "2022-01-02T03:04:05Z", { "source/_posts/a.md": "a", "source/_posts/深度学习.md": "b", "README.md": "r" });
    commitAt(repo, "2023-05-06T07:08:09+08:00", { "source/_posts/a.md": "a2", "README.md": "r2" });
    fs.writeFileSync(path.join(repo, "source/_posts/new.md"), "not committed");
    const changes = await lastChanges(path.join(repo, "source"));
    expect(Object.fromEntries([...changes].map(([k, v]) => [k, v.toISOString()]))).toEqual({
      "_posts/a.md": "2023-05-05T23:08:09.000Z",
      "_posts/深度学习.md": "2022-01-02T03:04:05.000Z",
    });
  });

  it("is empty in a checkout with no commit yet", async () => {
    const fresh = path.join(temp, "fresh");
    fs.mkdirSync(fresh);
    execFileSync("git", ["-C", fresh, "init", "-q"]);
    fs.writeFileSync(path.join(fresh, "a.md"), "a");
    expect((await lastChanges(fresh)).size).toBe(0);
  });

  it("is empty outside a git checkout", async () => {
    const plain = path.join(temp, "plain");
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, "a.md"), "a");
    expect((await lastChanges(plain)).size).toBe(0);
  });
});

describe("parseGitLog", () => {
  const log = "\x1eaaaaaaa 2024-03-01T00:00:00Z\0\n_posts/b.md\0\x1ebbbbbbb 2020-01-01T00:00:00Z\0\n_posts/a.md\0_posts/b.md\0";
  it("keeps the newest date of each file", () => {
    expect(parseGitLog(log)).toEqual(new Map([["_posts/b.md", new Date("2024-03-01T00:00:00Z")], ["_posts/a.md", new Date("2020-01-01T00:00:00Z")]]));
  });
  it("leaves out the cut commit of a shallow clone, which lists every file", () => {
    expect(parseGitLog(log, new Set(["bbbbbbb"]))).toEqual(new Map([["_posts/b.md", new Date("2024-03-01T00:00:00Z")]]));
  });
});
