// The tom89757 blog's deployed site as a folder, laid out from ../shared/corpus/tom89757-live.json: a page per route
// holding its heading ids in order (what `npm run check -- --against` and `--keep-anchors-from` read).
import fs from "node:fs";
import path from "node:path";
import { sharedDir } from "./cli.ts";

export interface LiveSite {
  routes: string[];
  heading_ids: Record<string, string[]>;
}

export function loadLiveSite(): LiveSite {
  return JSON.parse(fs.readFileSync(path.join(sharedDir, "corpus/tom89757-live.json"), "utf8")) as LiveSite;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** Writes `dir/<route>index.html` for each route, with an `<h2 id>` per heading id of its page. */
export function writeLiveSite(dir: string, live: LiveSite = loadLiveSite()): void {
  for (const route of live.routes) {
    const file = path.join(dir, route.endsWith("/") || route === "" ? `${route}index.html` : route);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const headings = (live.heading_ids[route] ?? []).map((id) => `<h2 id="${escape(id)}">${escape(id)}</h2>`).join("\n");
    fs.writeFileSync(file, `<!doctype html><title>${escape(route)}</title><body>${headings}</body>\n`);
  }
}
