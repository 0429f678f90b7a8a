// `npm run check -- [site folder]`: checks every link of a built site (see plugins/checks/check.ts), prints each
// broken one with the note and line it was written on, and exits 1 when any is broken.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkSite, type CheckOptions } from "../plugins/checks/check.ts";
import type { ExternalOptions } from "../plugins/checks/external.ts";
import { formatBroken, formatMove, formatSummary, jsonReport } from "../plugins/checks/report.ts";
import { compareWithPublished, readPublishedSite } from "../plugins/checks/published-site.ts";
import { isMain } from "./run-main.ts";

const USAGE = `usage: verinotes check [<site folder, default _site>] [options]   (in the repository: npm run check -- …)
  --json FILE          also write { "broken": [ { page, source, line, href, reason } ] } to FILE
  --root PATH          the site's root path (default: from sitemap.xml / <link rel=canonical>, else /)
  --site-url URL       the site's URL; absolute links to it count as internal (default: from sitemap.xml)
  --sources FILE       the build's link sources (default: <site>/verinotes-sources.json)
  --against DIR        the published site's folder (e.g. a checkout of gh-pages): report every page and heading
                       anchor of it that the new site lacks
  --images             ask the hosts of remote images whether they still have them (needs network); without it,
                       images a --localize-images build could not fetch are reported from its record
  --external           also check links to other sites (needs network), with:
    --concurrency N    requests at once (default 8)
    --timeout MS       per request (default 10000)
    --retries N        after a network error, a timeout, 429 or 5xx (default 2)
    --cache FILE       good answers kept for --cache-hours (default .cache/external-links.json)
    --cache-hours H    (default 24)
    --no-cache         ask every time`;

interface Args {
  site: string;
  json?: string;
  against?: string;
  options: CheckOptions;
}

const OPTIONS = {
  json: { type: "string" },
  against: { type: "string" },
  root: { type: "string" },
  "site-url": { type: "string" },
  sources: { type: "string" },
  external: { type: "boolean", default: false },
  images: { type: "boolean", default: false },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  retries: { type: "string" },
  cache: { type: "string", default: ".cache/external-links.json" },
  "cache-hours": { type: "string" },
  "no-cache": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The arguments, or "help" when --help was asked for. */
export function checkArgs(argv: string[]): Args | "help" {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  if (values.help) return "help";
  if (positionals.length > 1) throw new Error(`one site folder only (got ${positionals.join(" and ")})`);
  const number = (name: "concurrency" | "timeout" | "retries" | "cache-hours"): number | undefined => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const v = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number`);
    return v;
  };
  const options: CheckOptions = { root: values.root, siteUrl: values["site-url"], sourcesFile: values.sources };
  const hours = number("cache-hours");
  const ext: ExternalOptions = {
    cacheFile: values["no-cache"] ? undefined : values.cache,
    concurrency: number("concurrency"),
    timeoutMs: number("timeout"),
    retries: number("retries"),
    cacheTtlMs: hours === undefined ? undefined : hours * 3600_000,
  };
  if (values.external) options.external = ext;
  else if (values.images) options.images = ext;
  return { site: positionals[0] ?? "_site", json: values.json, against: values.against, options };
}

/** `verinotes check [site]`: the exit status (1 when a link is broken or the published site has more). */
export async function main(argv: string[]): Promise<number> {
  const parsed = checkArgs(argv);
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const args = parsed;
  const report = await checkSite(path.resolve(args.site), args.options);
  for (const b of report.broken) console.error(formatBroken(b));
  if (report.broken.length && !report.sourcesFound) {
    console.error("  (no verinotes-sources.json in the site folder: build it with `npm run build` to see notes and lines)");
  }
  console.log(formatSummary(report));
  // The move: what of the published site the new one lacks.
  const move = args.against ? compareWithPublished(readPublishedSite(path.resolve(args.against)), path.resolve(args.site)) : undefined;
  if (move && args.against) {
    const { problems, summary } = formatMove(move, args.against.replace(/\/+$/, ""));
    for (const line of problems) console.error(line);
    for (const line of summary) console.log(line);
  }
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    const moved = move ? { missingPages: move.missingRoutes, missingAnchors: move.missingAnchors } : {};
    fs.writeFileSync(args.json, `${JSON.stringify({ ...jsonReport(report), ...moved }, null, 2)}\n`);
  }
  const moveProblems = move ? move.missingRoutes.length + move.missingAnchors.length : 0;
  return report.broken.length + moveProblems > 0 ? 1 : 0;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(`check failed: ${error instanceof Error ? error.message : error}`);
      process.exit(2);
    },
  );
}
