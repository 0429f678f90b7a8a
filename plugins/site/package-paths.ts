// Where this package's files are at run time: the same from the repository's sources (plugins/site/) and from the
// compiled package (dist/plugins/site/ under node_modules/verinotes), whose layouts ship beside dist/.
import fs from "node:fs";
import path from "node:path";

/** The nearest folder at or above `from` that holds a package.json. */
export function packageRootOf(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The Verinotes package's folder (the repository's root when run from the sources). */
export const PACKAGE_ROOT = packageRootOf(import.meta.dirname);

/** The Nunjucks layouts and their assets (`layouts/assets/`). */
export const LAYOUTS_DIR = path.join(PACKAGE_ROOT, "layouts");
