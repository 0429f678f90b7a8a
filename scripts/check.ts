// `npm run check -- [site folder]`: checks every link of a built site (see plugins/checks/check.ts), prints each
// broken one with the note and line it was written on, and exits 1 when any is broken.
import fs from "node:fs";
import path from "node:path";
import { checkSite, type CheckOptions } from "../plugins/checks/check.ts";
import type { ExternalOptions } from "../plugins/checks/external.ts";
import { formatBroken, formatMove, formatSummary, jsonReport } from "../plugins/checks/report.ts";
import { compareWithPublished, readPublishedSite } from "../plugins/checks/published-site.ts";

const USAGE = `usage: npm run check -- [<site folder, default _site>] [options]
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

function parseArgs(argv: string[]): Args {
  let site: string | undefined;
  let json: string | undefined;
  let against: string | undefined;
  const options: CheckOptions = {};
  let external = false;
  let images = false;
  const ext: ExternalOptions = { cacheFile: ".cache/external-links.json" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const number = () => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${arg} needs a number`);
      return v;
    };
    if (arg === "--json") json = value();
    else if (arg === "--against") against = value();
    else if (arg === "--root") options.root = value();
    else if (arg === "--site-url") options.siteUrl = value();
    else if (arg === "--sources") options.sourcesFile = value();
    else if (arg === "--external") external = true;
    else if (arg === "--images") images = true;
    else if (arg === "--concurrency") ext.concurrency = number();
    else if (arg === "--timeout") ext.timeoutMs = number();
    else if (arg === "--retries") ext.retries = number();
    else if (arg === "--cache") ext.cacheFile = value();
    else if (arg === "--cache-hours") ext.cacheTtlMs = number() * 3600_000;
    else if (arg === "--no-cache") ext.cacheFile = undefined;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith("-")) throw new Error(`unknown option ${arg} (see --help)`);
    else if (site === undefined) site = arg;
    else throw new Error(`one site folder only (got ${site} and ${arg})`);
  }
  if (external) options.external = ext;
  else if (images) options.images = ext;
  return { site: site ?? "_site", json, against, options };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
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
  process.exitCode = report.broken.length + moveProblems > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`check failed: ${error instanceof Error ? error.message : error}`);
  process.exit(2);
});
