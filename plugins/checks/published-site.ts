// A published site as it was deployed (a checkout of its gh-pages branch, a `public/` folder): its routes and the
// heading ids of each page. Read to prove a move (`npm run check -- --against`) and to keep the old ids as aliases
// (`npm run build -- --keep-anchors-from`).
import fs from "node:fs";
import path from "node:path";
import { Parser } from "htmlparser2";
import { extractPage } from "./html.ts";
import { listSiteFiles } from "./check.ts";

export interface PublishedSite {
  /** Every URL path below the root, as Hexo writes routes: `a/b/` for `a/b/index.html`, `atom.xml`, raw UTF-8. */
  routes: string[];
  /** Ids of the `<h1>`–`<h6>` of each HTML page, in document order, by route. */
  headingIds: Map<string, string[]>;
}

const HEADING = /^h[1-6]$/;

/** Reads the folder; a page that cannot be read counts as a route without heading ids. */
export function readPublishedSite(dir: string): PublishedSite {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder (give the published site's folder, e.g. a checkout of its gh-pages branch)`);
  const routes: string[] = [];
  const headingIds = new Map<string, string[]>();
  for (const file of listSiteFiles(dir)) {
    if (file.startsWith(".git/") || file === ".nojekyll" || file === "CNAME") continue;
    const route = routeOfFile(file);
    routes.push(route);
    if (/\.html?$/i.test(file)) headingIds.set(route, headingIdsOf(fs.readFileSync(path.join(dir, file), "utf8")));
  }
  return { routes: routes.sort(), headingIds };
}

/** `a/b/index.html` → `a/b/`; `index.html` → ``; other files as they are. */
export function routeOfFile(file: string): string {
  return file === "index.html" ? "" : file.endsWith("/index.html") ? file.slice(0, -"index.html".length) : file;
}

/** The ids of the headings of a page, in document order. */
export function headingIdsOf(html: string): string[] {
  const ids: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (HEADING.test(name) && attrs.id) ids.push(attrs.id);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return ids;
}

export interface MoveReport {
  /** Routes of the old site with no file in the new one. */
  missingRoutes: string[];
  /** Heading ids of an old page that its new page does not have (as an id or an alias), by route. */
  missingAnchors: { route: string; id: string }[];
  /** Old routes and ids compared. */
  compared: { routes: number; anchors: number };
}

/**
 * What of the old site the new one lacks: every old route must be a file of the new site (`x/` as `x/index.html`,
 * `x` as `x` or `x/index.html`), and every heading id of an old page an element id of the new page.
 */
export function compareWithPublished(old: PublishedSite, newSiteDir: string): MoveReport {
  const missingRoutes: string[] = [];
  const missingAnchors: MoveReport["missingAnchors"] = [];
  let anchors = 0;
  for (const route of old.routes) {
    const file = [route === "" || route.endsWith("/") ? `${route}index.html` : route, `${route}/index.html`]
      .map((f) => path.join(newSiteDir, f))
      .find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (!file) {
      missingRoutes.push(route);
      continue;
    }
    const ids = old.headingIds.get(route) ?? [];
    if (ids.length === 0) continue;
    anchors += ids.length;
    const have = extractPage(fs.readFileSync(file)).anchors;
    for (const id of ids) if (!have.has(id)) missingAnchors.push({ route, id });
  }
  return { missingRoutes, missingAnchors, compared: { routes: old.routes.length, anchors } };
}
