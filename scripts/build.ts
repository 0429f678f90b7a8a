// `npm run build` / `npm start`: builds notes into a site with Eleventy, prints every problem with its file
// and line, a one-line summary, and exits non-zero when any error was found (warnings do not count).
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { HEADING_IDS_KEY, SITE_EVENT, SOURCES_FILE, type SiteModel } from "../plugins/hexo/index.ts";
import { serveStatic, type StaticServer } from "../plugins/checks/serve.ts";
import { cacheDirFromEnv, siteInputDir } from "../plugins/site/index.ts";
import { headingIdsLine, headingStyleNamed, type HeadingIdsChoice } from "../plugins/markdown/renderer-config.ts";
import { HEADING_ID_STYLES } from "../plugins/markdown/heading-styles.ts";
import { formatDiagnostic } from "../plugins/hexo/diagnostics.ts";
import { isValidTimeZone } from "../plugins/hexo/dates.ts";
import { SNIPPETS_EVENT, SNIPPETS_PROGRESS_EVENT, type SnippetsProgress, type SnippetsReport } from "../plugins/snippets/eleventy.ts";
import { sessionsLine } from "../plugins/snippets/report.ts";
import { STATUSES } from "../plugins/snippets/types.ts";
import { SEARCH_EVENT, type IndexReport } from "../plugins/search/index.ts";
import { progressPrinter } from "./progress.ts";
import { defaultBlog, NO_BLOG_HERE } from "./blog-folder.ts";
import { isMain } from "./run-main.ts";

/**
 * The site's Eleventy configuration file: plugins/site/index.ts here, its compiled .js in the package (the file
 * this module was loaded from says which).
 */
const SITE_CONFIG = fileURLToPath(new URL(`../plugins/site/index.${import.meta.url.endsWith(".ts") ? "ts" : "js"}`, import.meta.url));

interface BuildArgs {
  hexo?: string;
  input?: string;
  permalinkTimezone?: string;
  headingIds?: string;
  keepAnchorsFrom?: string;
  localizeImages: boolean;
  /** Absent: `_site` for a build; for `npm start`, a folder of its own for this blog (serveFolder). */
  output?: string;
  serve: boolean;
  port: number;
  /** Where `npm start` listens: the loopback unless asked (`--host 0.0.0.0` to show phones on the network). */
  host: string;
}

const USAGE =
  "usage: verinotes build|serve [--hexo <blog> | --input <folder>] [--output <folder>] [--permalink-timezone <zone>]\n" +
  "         [--heading-ids auto|hexo|markdown-it|markdown-it-plus|pandoc|markdown-it-anchor|github]\n" +
  "         [--keep-anchors-from <published site folder>] [--localize-images] [--port N] [--host 127.0.0.1]\n" +
  "  in the repository: npm run build -- …, npm start -- … (= build --serve)\n" +
  "  without --hexo or --input: the Hexo blog in the current folder, else content/";

const OPTIONS = {
  hexo: { type: "string" },
  input: { type: "string" },
  output: { type: "string" },
  "permalink-timezone": { type: "string" },
  "heading-ids": { type: "string" },
  "keep-anchors-from": { type: "string" },
  "localize-images": { type: "boolean", default: false },
  serve: { type: "boolean", default: false },
  port: { type: "string", default: "8080" },
  host: { type: "string", default: "127.0.0.1" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The arguments, or "help" when --help was asked for. */
export function buildArgs(argv: string[]): BuildArgs | "help" {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) return "help";
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port} is not a port number`);
  if (values.hexo && values.input) throw new Error("give either --hexo or --input, not both");
  return {
    hexo: values.hexo,
    input: values.input,
    output: values.output,
    permalinkTimezone: values["permalink-timezone"],
    headingIds: values["heading-ids"],
    keepAnchorsFrom: values["keep-anchors-from"],
    localizeImages: values["localize-images"],
    serve: values.serve,
    port,
    host: values.host,
  };
}

/** `verinotes build` / `serve`: the exit status, or undefined while serving (the process keeps running). */
export async function main(argv: string[]): Promise<number | undefined> {
  const parsed = buildArgs(argv);
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const args = parsed;
  if (!args.hexo && !args.input) {
    args.hexo = defaultBlog();
    if (!fs.existsSync(args.hexo)) throw new Error(`no notes to build: ${NO_BLOG_HERE}`);
  }
  if (args.hexo) process.env.VERINOTES_HEXO = path.resolve(args.hexo);
  if (args.input) process.env.VERINOTES_INPUT = path.resolve(args.input);
  if (args.permalinkTimezone) {
    // checked here too (the plugin refuses it as well), so that the message names the flag before Eleventy starts
    if (!isValidTimeZone(args.permalinkTimezone)) throw new Error(`--permalink-timezone ${args.permalinkTimezone} is not a timezone (e.g. UTC, Asia/Shanghai)`);
    process.env.VERINOTES_PERMALINK_TIMEZONE = args.permalinkTimezone;
  }

  if (args.headingIds) {
    const style = args.headingIds === "auto" ? "auto" : headingStyleNamed(args.headingIds);
    if (!style) throw new Error(`--heading-ids ${args.headingIds} is not a style (auto, ${HEADING_ID_STYLES.join(", ")})`);
    process.env.VERINOTES_HEADING_IDS = style;
  }
  if (args.keepAnchorsFrom) {
    const folder = path.resolve(args.keepAnchorsFrom);
    if (!fs.existsSync(folder)) throw new Error(`--keep-anchors-from ${args.keepAnchorsFrom}: no such folder`);
    process.env.VERINOTES_KEEP_ANCHORS_FROM = folder;
  }

  if (args.localizeImages) process.env.VERINOTES_LOCALIZE_IMAGES = "1";
  const output = args.serve ? serveFolder(args) : (args.output ?? "_site");
  let server: StaticServer | undefined;

  let model: SiteModel | undefined;
  let snippets: SnippetsReport | undefined;
  let searchErrors = 0;
  let buildStarted = 0;
  const elev = new Eleventy(siteInputDir(), output, {
    configPath: SITE_CONFIG,
    quietMode: true,
    // `npm start` serves the folder itself (serve.ts): Eleventy only builds and watches.
    runMode: args.serve ? "watch" : "build",
    config: (cfg: any) => {
      cfg.on("eleventy.before", () => {
        buildStarted = performance.now();
      });
      cfg.on(SITE_EVENT, (m: SiteModel) => {
        model = m;
        if (args.serve) report(m, { started: buildStarted });
      });
      // The search plugin prints its own line and errors; a failed index fails the build.
      cfg.on(SEARCH_EVENT, (r: IndexReport) => {
        searchErrors = r.errors.length;
      });
      // Verifying notes that are not cached yet can take minutes: a progress bar once it has taken 2 s.
      let progress: ReturnType<typeof progressPrinter> = () => {};
      cfg.on("eleventy.before", () => {
        progress = progressPrinter("snippets", { after: 2000 }); // each build (and rebuild of `npm start`) starts over
      });
      cfg.on(SNIPPETS_PROGRESS_EVENT, (p: SnippetsProgress) => progress(p.done, p.total, p.source));
      cfg.on("eleventy.after", () => server?.reload());
      cfg.on(SNIPPETS_EVENT, (r: SnippetsReport) => {
        snippets = r;
        if (args.serve) console.log(`Snippets: ${snippetCounts(r)}`);
      });
    },
  });
  await elev.init();
  if (args.serve) {
    await elev.watch();
    server = await listen(output, args, model?.site.root ?? "/");
    console.log(`Server at ${server.url} (serving ${path.relative(".", output) || "."}, written for this blog only); watching for changes`);
    return undefined;
  }
  const written = await elev.write();
  if (!model) throw new Error("the site model was not built");
  // The first build counts from the process start, as a user times the command.
  const errors = report(model, { started: 0, final: { written: countWritten(written), snippets, searchErrors } });
  return errors > 0 ? 1 : 0;
}

/**
 * The folder `npm start` builds into and serves, emptied first so that nothing another build wrote is served or
 * indexed: `<cache>/serve/<blog name>-<hash of its path>/`, or `--output` when given, which must be empty, new, or
 * a Verinotes build (it holds verinotes-sources.json).
 */
function serveFolder(args: BuildArgs): string {
  let folder: string;
  if (args.output) {
    folder = path.resolve(args.output);
    const entries = fs.existsSync(folder) ? fs.readdirSync(folder) : [];
    if (entries.length && !entries.includes(SOURCES_FILE)) {
      throw new Error(`--output ${args.output} holds files Verinotes did not write; npm start empties its folder, so give a new or empty one`);
    }
  } else {
    const source = path.resolve(args.hexo ?? args.input!);
    const cache = cacheDirFromEnv() ?? path.join(os.tmpdir(), "verinotes");
    const id = crypto.createHash("sha256").update(source).digest("hex").slice(0, 10);
    folder = path.resolve(cache, "serve", `${path.basename(source).replace(/[^\w.-]+/g, "_")}-${id}`);
  }
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  return folder;
}

/** The dev server on `--port`, or the next free port up to 10 further. */
async function listen(folder: string, args: BuildArgs, root: string): Promise<StaticServer> {
  for (let port = args.port; ; port++) {
    try {
      return await serveStatic(folder, { port, host: args.host, root, liveReload: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || port >= args.port + 10) throw error;
    }
  }
}

function countWritten(result: unknown): number | undefined {
  const flat = Array.isArray(result) ? result.flat(Infinity) : [];
  return flat.length || undefined;
}

interface ReportOptions {
  /** When the build started (performance.now()); 0 for the process start, as a user times the command. */
  started: number;
  /** The end of `npm run build`: what it wrote and what the other plugins said. Under `npm start`, absent. */
  final?: { written?: number; snippets?: SnippetsReport; searchErrors: number };
}

/** Prints the problems and the summary line; returns the number of errors. */
function report(model: SiteModel, { started, final }: ReportOptions): number {
  for (const d of model.diagnostics) console.error(formatDiagnostic(d));
  const headingIds = model.extensions[HEADING_IDS_KEY] as HeadingIdsChoice | undefined;
  if (headingIds) console.log(headingIdsLine(headingIds));
  const modelErrors = model.diagnostics.filter((d) => d.severity === "error").length;
  const errors = modelErrors + (final?.searchErrors ?? 0);
  const warnings = model.diagnostics.length - modelErrors;
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const files = final ? `, ${final.written ?? model.posts.length + model.pages.length + model.counts.listings} files written` : "";
  const snippets = final?.snippets ? `snippets: ${snippetCounts(final.snippets)}; ` : "";
  console.log(
    `${final ? "Built" : "Read"} ${model.counts.notes} notes, ${model.counts.pages} pages${files}; ` +
      `${snippets}${errors} errors, ${warnings} warnings in ${seconds}s`,
  );
  return errors;
}

/** `20 passed, 1 failed, 3 missing-deps (2 sessions run)`: the details are on the site's /snippets/ page. */
function snippetCounts(r: SnippetsReport): string {
  const counts = STATUSES.filter((s) => r.summary[s]).map((s) => `${r.summary[s]} ${s}`);
  return `${counts.join(", ") || "none"} (${sessionsLine(r.sessionsRun)})`;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (error) => {
      console.error(`build failed: ${error instanceof Error ? error.message : error}`);
      process.exit(2);
    },
  );
}
