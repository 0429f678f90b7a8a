// `verinotes verify` (`npm run verify` here): verifies the snippets of notes without building the site (§8).
//
//   verinotes verify [--input <folder> | --hexo <blog> | FILE…]   (none: the Hexo blog in the current folder)
//     [--json FILE] [--junit FILE] [--filter GLOB] [--shard I/N] [--cache-dir DIR | --no-cache]
//     [--strict] [--update] [--update-baseline] [--baseline FILE] [--jobs N] [--timeout S] [--python EXE]
//     [--no-sandbox]
//   verinotes verify --merge a.json b.json … [--json FILE] [--junit FILE] [--strict]
//
// Exit status: 1 when a snippet failed (or, with --strict, warned, is invalid or unresolved) and the
// baseline does not list it; 2 for usage errors, and when notes had code to run but no sandbox could be set
// up (snippets-spec.md §5: fail closed; --no-sandbox runs them unisolated, and every report says so).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import {
  BASELINE_FILE,
  baselineFrom,
  formatSummary,
  mergeReports,
  outcome,
  parseBaseline,
  planUpdate,
  toJUnit,
  type Baseline,
} from "../plugins/snippets/report.ts";
import { LISTED_STATUSES, rowsWithStatus } from "../plugins/snippets/lazy-rows.ts";
import { SANDBOX_HELP } from "../plugins/snippets/runners/sandbox.ts";
import type { Report } from "../plugins/snippets/types.ts";
import { createVerifier, verifyWith, type NoteInput } from "../plugins/snippets/verify.ts";
import { loadNoteParser, notesOfSite, noteReading, NOTE_PARSER_ID } from "./note-parser.ts";
import { progressPrinter } from "./progress.ts";
import { isHexoBlog } from "./blog-folder.ts";
import { isMain } from "./run-main.ts";

interface Args {
  input?: string;
  hexo?: string;
  files: string[];
  json?: string;
  junit?: string;
  filter?: string;
  shard?: { index: number; count: number };
  cacheDir: string | null;
  strict: boolean;
  update: boolean;
  updateBaseline: boolean;
  baseline: string;
  jobs?: number;
  timeout?: number;
  python?: string;
  merge: string[];
  quiet: boolean;
  noSandbox: boolean;
}

function usage(msg: string): never {
  process.stderr.write(`verify: ${msg}\nusage: verinotes verify --input DIR | --hexo BLOG | FILE… [--json F] [--junit F] [--filter GLOB] [--shard I/N] [--cache-dir D|--no-cache] [--strict] [--update] [--update-baseline] [--baseline F] [--jobs N] [--timeout S] [--no-sandbox] | --merge A.json B.json…\n`);
  process.exit(2);
}

const OPTIONS = {
  input: { type: "string" },
  hexo: { type: "string" },
  json: { type: "string" },
  junit: { type: "string" },
  filter: { type: "string" },
  shard: { type: "string" },
  "cache-dir": { type: "string" },
  "no-cache": { type: "boolean", default: false },
  strict: { type: "boolean", default: false },
  update: { type: "boolean", default: false },
  "update-baseline": { type: "boolean", default: false },
  baseline: { type: "string", default: BASELINE_FILE },
  jobs: { type: "string" },
  timeout: { type: "string" },
  python: { type: "string" },
  // the reports to merge are the positional arguments: `--merge a.json b.json`
  merge: { type: "boolean", default: false },
  quiet: { type: "boolean", default: false },
  "no-sandbox": { type: "boolean", default: false },
} as const;

export function verifyArgs(argv: string[]): Args {
  const { values, positionals } = (() => {
    try {
      return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
    } catch (error) {
      usage((error as Error).message);
    }
  })();
  let shard: Args["shard"];
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || +m[1] < 1 || +m[1] > +m[2]) usage("--shard takes I/N with 1 ≤ I ≤ N");
    shard = { index: +m[1], count: +m[2] };
  }
  // The build's cache folder (VERINOTES_CACHE_DIR, default .cache): `npm run build` and `npm run verify` share results.
  const cacheDir = values["no-cache"] ? null : (values["cache-dir"] ?? `${process.env.VERINOTES_CACHE_DIR ?? ".cache"}/snippets`);
  return {
    input: values.input,
    hexo: values.hexo,
    files: values.merge ? [] : positionals,
    json: values.json,
    junit: values.junit,
    filter: values.filter,
    shard,
    cacheDir,
    strict: values.strict,
    update: values.update,
    updateBaseline: values["update-baseline"],
    baseline: values.baseline,
    jobs: values.jobs === undefined ? undefined : Number(values.jobs),
    timeout: values.timeout === undefined ? undefined : Number(values.timeout),
    python: values.python,
    merge: values.merge ? positionals : [],
    quiet: values.quiet,
    noSandbox: values["no-sandbox"],
  };
}

/** The `--filter` glob (picomatch: `**`, `*`, `?`, `{a,b}`, …); a glob without `/` also matches the file name alone. */
export function noteFilter(glob: string): (rel: string) => boolean {
  return (lazily("picomatch") as typeof import("picomatch"))(glob, { dot: true, basename: true });
}

/** A package loaded when first used: picomatch and tinyglobby were a tenth of a warm run that needs neither. */
const lazily = (name: string): unknown => createRequire(import.meta.url)(name);

/** The Markdown files below a folder given as FILE (sorted; dot folders, node_modules and symbolic links left out). */
export function markdownFilesIn(dir: string): string[] {
  const { globSync } = lazily("tinyglobby") as typeof import("tinyglobby");
  const rels = globSync("**/*.{md,markdown}", { cwd: dir, caseSensitiveMatch: false, followSymbolicLinks: false, ignore: ["**/node_modules/**"] });
  return rels.map((rel) => path.join(dir, rel)).sort();
}

/** Stable shard of a note: by a hash of its path, so adding notes does not move the others. */
export function shardOf(source: string, count: number): number {
  return createHash("sha1").update(source).digest().readUInt32BE(0) % count;
}

function writeFile(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

function readBaseline(file: string): Baseline | undefined {
  if (!fs.existsSync(file)) return undefined;
  const b = parseBaseline(fs.readFileSync(file, "utf8"));
  if (!b.ok) {
    process.stderr.write(`verify: ${file}: not a baseline (${b.message}); ignored\n`);
    return undefined;
  }
  return b.value;
}

export async function main(argv: string[]): Promise<number> {
  const args = verifyArgs(argv);
  const baseline = readBaseline(args.baseline);
  let report: Report;
  let root: string;

  if (args.merge.length) {
    report = mergeReports(args.merge.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as Report));
    root = process.cwd();
  } else {
    let files: string[] = [];
    // `verinotes verify` in a Hexo blog's folder: that blog
    if (!args.hexo && !args.input && !args.files.length && isHexoBlog(process.cwd())) args.hexo = ".";
    if (args.hexo) {
      root = path.join(args.hexo, "source");
      if (!fs.existsSync(root)) usage(`${args.hexo} has no source/ folder`);
    } else if (args.input) {
      root = args.input;
      if (!fs.existsSync(root)) usage(`${root} does not exist`);
    } else if (args.files.length) {
      root = process.cwd();
    } else usage("give --input DIR, --hexo BLOG or note files");
    const reading = noteReading(); // the texts, digests and front matters notesOfSite read, not read again
    const options = {
      inputDir: root,
      loadParser: loadNoteParser,
      parserId: NOTE_PARSER_ID,
      cacheDir: args.cacheDir,
      splitFrontMatter: reading.split,
      jobs: args.jobs,
      timeout: args.timeout,
      python: args.python,
      sandbox: args.noSandbox ? ("none" as const) : ("bwrap" as const),
      hide: [args.json, args.junit, args.baseline].filter((f): f is string => !!f).map((f) => path.dirname(path.resolve(f))),
    };
    const verifier = createVerifier(options); // probes the interpreter while the notes are read
    let noSandbox: string | null = null;
    try {
      // the stat index beside the results: a note unchanged since a run read it is not read again
      if (args.hexo || args.input) files = (await notesOfSite(args.hexo ? { hexo: args.hexo } : { input: args.input! }, reading, { statIndexDir: args.cacheDir })).files;
      else for (const f of args.files) files.push(...(fs.statSync(f).isDirectory() ? markdownFilesIn(f) : [f]));
      const rel = (f: string) => path.relative(root, f).split(path.sep).join("/");
      if (args.filter) {
        const matches = noteFilter(args.filter);
        files = files.filter((f) => matches(rel(f)));
      }
      if (args.shard) files = files.filter((f) => shardOf(rel(f), args.shard!.count) === args.shard!.index - 1);
      const notes: NoteInput[] = files.map((file) => reading.input(file));
      report = await verifyWith(verifier, notes, progressPrinter("verify", { quiet: args.quiet }), args.jobs);
      noSandbox = verifier.sandboxError();
    } finally {
      await verifier.close();
    }
    if (args.shard) report.shard = args.shard;
    if (noSandbox) {
      if (args.json) writeFile(args.json, JSON.stringify(report, null, 1) + "\n");
      process.stderr.write(`verify: no note code was run: ${noSandbox}.\nverify: to run it, ${SANDBOX_HELP}.\n`);
      return 2;
    }
  }

  // what the notes' fences themselves get wrong (malformed info strings, unknown keys, refused names), as the build says it
  for (const d of report.diagnostics) process.stderr.write(`${d.file}:${d.line}: ${d.severity}: ${d.message}\n`);
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  process.stdout.write(formatSummary(report, { strict: args.strict, baseline, color }) + "\n");
  if (args.json) writeFile(args.json, JSON.stringify(report, null, 1) + "\n");
  if (args.junit) writeFile(args.junit, toJUnit(report, { strict: args.strict, baseline }));

  if (args.updateBaseline) {
    const b = baselineFrom(report, args.strict);
    writeFile(args.baseline, JSON.stringify(b, null, 1) + "\n");
    process.stdout.write(`verify: wrote ${args.baseline} (${b.entries.length} known failure${b.entries.length === 1 ? "" : "s"})\n`);
    return 0;
  }
  if (args.update) {
    const plan = planUpdate(report, (source) => fs.readFileSync(path.join(root, source), "utf8"));
    for (const [source, text] of plan.files) fs.writeFileSync(path.join(root, source), text);
    process.stdout.write(`verify: rewrote ${plan.claims} expected output${plan.claims === 1 ? "" : "s"} in ${plan.files.size} note${plan.files.size === 1 ? "" : "s"}\n`);
    const left = outcome(report, { strict: args.strict, baseline }).failures.filter((s) => !plan.files.has(s.source) || !s.actual?.some((x) => !x.ok));
    return left.length ? 1 : 0;
  }
  // the verifier's own failure (its python worker could not start, or died): no verdict on those blocks holds (they
  // are warnings, plugins/snippets/decide.ts: among the rows a report lists without making the others)
  const broken = rowsWithStatus(report, LISTED_STATUSES).filter((x) => x.message.startsWith("not run: the verifier failed"));
  if (broken.length) {
    process.stderr.write(`verify: the verifier itself failed on ${broken.length} block${broken.length === 1 ? "" : "s"} (${broken[0].source}:${broken[0].line}: ${broken[0].message}); run again, and report it if it stays\n`);
    return 2;
  }
  return outcome(report, { strict: args.strict, baseline }).exitCode;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`verify: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(2);
    },
  );
}
