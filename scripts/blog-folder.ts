// Which notes a command works on when it is not told: the Hexo blog it is run in (a folder with `_config.yml` and
// `source/`, as `npx verinotes build` in the blog's own folder), else the repository's sample blog `content/`.
import fs from "node:fs";
import path from "node:path";

/** A Hexo blog's folder: `_config.yml` beside `source/`. */
export function isHexoBlog(dir: string): boolean {
  return fs.existsSync(path.join(dir, "_config.yml")) && fs.existsSync(path.join(dir, "source"));
}

/** The blog a command uses without `--hexo`/`--input`: "." in a Hexo blog's folder, else `content`. */
export function defaultBlog(cwd = process.cwd()): string {
  return isHexoBlog(cwd) ? "." : "content";
}

/** Said when there is neither an option nor a blog here. */
export const NO_BLOG_HERE = "run it in a Hexo blog's folder (_config.yml and source/), or give --hexo <blog> or --input <folder>";
