// The Verinotes site: every plugin, with the layouts and assets this package ships, configured from the
// environment the CLI sets (`verinotes build --hexo <blog>` → VERINOTES_HEXO, …). The repository's `.eleventy.ts`
// and the `verinotes` command (this module compiled, from a blog's own folder) both load it: one configuration.
import os from "node:os";
import path from "node:path";
import type UserConfig from "@11ty/eleventy/UserConfig";
import hexoNotes from "../hexo/index.ts";
import verifiedSnippets from "../snippets/eleventy.ts";
import verinotesSearch from "../search/index.ts";
import remoteImages from "../markdown/remote-images-plugin.ts";
import { katexAssetsDir } from "../markdown/math.ts";
import { LAYOUTS_DIR, PACKAGE_ROOT } from "./package-paths.ts";

export { LAYOUTS_DIR, PACKAGE_ROOT } from "./package-paths.ts";

/** Where the notes come from: set by `verinotes build --hexo <blog>` / `--input <folder>`; default `content/`. */
export function sourceFromEnv(env = process.env): { hexo: string } | { input: string } {
  if (env.VERINOTES_INPUT) return { input: env.VERINOTES_INPUT };
  return { hexo: env.VERINOTES_HEXO || "content" };
}

/** The caches' folder (CI keeps it between runs): VERINOTES_CACHE_DIR, default `.cache`; VERINOTES_CACHE=off: none. */
export function cacheDirFromEnv(env = process.env): string | null {
  return env.VERINOTES_CACHE === "off" ? null : (env.VERINOTES_CACHE_DIR ?? ".cache");
}

/**
 * Eleventy's input folder for the site: the package's own folder (relative to where the command runs), whose only
 * templates are the layouts. The pages are the plugins' virtual templates, so nothing in a blog's folder (a theme's
 * `.njk` files, say) is ever taken for a page.
 */
export function siteInputDir(cwd = process.cwd()): string {
  return path.relative(cwd, PACKAGE_ROOT) || ".";
}

/**
 * The layouts' CSS, scripts, fonts and favicon, and KaTeX's CSS and fonts, copied into the site: for an Eleventy
 * site that uses this package's layouts (`setLayoutsDirectory`), as the Verinotes site does.
 */
export function siteAssets(eleventyConfig: UserConfig): void {
  const assets = path.join(LAYOUTS_DIR, "assets");
  eleventyConfig.addPassthroughCopy({ [assets]: "assets", [path.join(assets, "favicon.svg")]: "favicon.svg" });
  eleventyConfig.addPassthroughCopy({ [katexAssetsDir]: "assets/katex" });
}

/** The Eleventy configuration of the Verinotes site (Eleventy calls it with its config object). */
export default function verinotesSite(eleventyConfig: UserConfig) {
  const env = process.env;
  const caches = cacheDirFromEnv(env);
  eleventyConfig.addPlugin(hexoNotes, {
    ...sourceFromEnv(env),
    // `--permalink-timezone Asia/Shanghai`: the timezone the published Hexo site was built in.
    ...(env.VERINOTES_PERMALINK_TIMEZONE ? { permalinkTimezone: env.VERINOTES_PERMALINK_TIMEZONE } : {}),
    // `--heading-ids <style>` and `--keep-anchors-from <published site>` (see README "Move from Hexo").
    ...(env.VERINOTES_HEADING_IDS ? { headingIds: env.VERINOTES_HEADING_IDS } : {}),
    ...(env.VERINOTES_KEEP_ANCHORS_FROM ? { keepAnchorsFrom: env.VERINOTES_KEEP_ANCHORS_FROM } : {}),
    cacheDir: caches ? `${caches}/render` : false,
    reuseOutput: caches !== null, // the layouts print only what the plugins give them: unchanged pages are not rendered again
  });
  eleventyConfig.addPlugin(verifiedSnippets, {
    verify: env.VERINOTES_VERIFY !== "off",
    cacheDir: caches ? `${caches}/snippets` : null,
  });
  // `--localize-images`: remote images copied into the site once (kept in the cache folder).
  eleventyConfig.addPlugin(remoteImages, {
    localizeImages: env.VERINOTES_LOCALIZE_IMAGES === "1",
    cacheDir: caches ? `${caches}/images` : path.join(os.tmpdir(), `verinotes-images-${process.pid}`),
  });
  eleventyConfig.addPlugin(verinotesSearch, { cacheDir: caches ? `${caches}/search` : false });

  // Under `npm start`, a saved note is picked up 50 ms after its last write (Eleventy waits 150 ms by default).
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } });
  siteAssets(eleventyConfig);

  return {
    dir: { input: siteInputDir(), includes: "layouts", layouts: "layouts" },
    // Only the virtual templates are pages: the package's own Markdown (README, docs) is not site content.
    templateFormats: ["njk"],
  };
}
