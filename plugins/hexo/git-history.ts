// When each note last changed, from the blog's git history: one `git log` over the whole source folder per build
// (never one per note), newest commit first, so a file's first appearance is its last change. The file's mtime is
// never used: after a checkout it is the checkout time. Not a git checkout (or no git): no dates, no error.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Path relative to the source folder (as `SourceFile.rel`) → author date of the last commit that changed it. */
export type LastChanges = Map<string, Date>;

/**
 * Parses `git log --relative --format=%x1e%H %aI --name-only -z` (records start with \x1e; the header and each
 * path end in NUL). Commits in `shallow` are the cut of a shallow clone: git lists every file under them, so their
 * dates say nothing and are left out.
 */
export function parseGitLog(output: string, shallow: ReadonlySet<string> = new Set()): LastChanges {
  const changes: LastChanges = new Map();
  for (const record of output.split("\x1e")) {
    const [header, ...paths] = record.split("\0");
    const m = /^([0-9a-f]{7,64}) (\S+)$/.exec(header.trim());
    if (!m || shallow.has(m[1])) continue;
    const date = new Date(m[2]);
    if (Number.isNaN(date.getTime())) continue;
    for (const raw of paths) {
      const rel = raw.replace(/^\n/, "");
      if (rel && !changes.has(rel)) changes.set(rel, date);
    }
  }
  return changes;
}

/**
 * The last change of every committed file under `dir`; an empty map when `dir` is not in a git checkout, the
 * checkout has no commit yet, or git cannot be run (the notes then simply show no updated date).
 */
export async function lastChanges(dir: string): Promise<LastChanges> {
  const git = (...args: string[]) => run("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  try {
    const shallowFile = (await git("rev-parse", "--path-format=absolute", "--git-path", "shallow")).stdout.trim();
    const shallow = new Set(fs.existsSync(shallowFile) ? fs.readFileSync(shallowFile, "utf8").split(/\s+/).filter(Boolean) : []);
    const { stdout } = await git("log", "--relative", "--no-renames", "--format=%x1e%H %aI", "--name-only", "-z", "--", ".");
    return parseGitLog(stdout, shallow);
  } catch {
    return new Map();
  }
}
