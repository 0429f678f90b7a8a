// Verinotes site configuration: reads like a table of contents. Each concern is a plugin under plugins/.
import os from "node:os";
import path from "node:path";
import hexoNotes from "./plugins/hexo/index.ts";
import verifiedSnippets from "./plugins/snippets/eleventy.ts";
import verinotesSearch from "./plugins/search/index.ts";
import remoteImages from "./plugins/markdown/remote-images-plugin.ts";
import { katexAssetsDir } from "./plugins/markdown/math.ts";

/** Where the notes come from: set by `npm run build -- --hexo <blog>` / `--input <folder>`; default `content/`. */
export function sourceFromEnv(env = process.env) {
  if (env.VERINOTES_INPUT) return { input: env.VERINOTES_INPUT };
  return { hexo: env.VERINOTES_HEXO || "content" };
}

/** The caches' folder (CI keeps it between runs): VERINOTES_CACHE_DIR, default `.cache`; VERINOTES_CACHE=off: none. */
export function cacheDirFromEnv(env = process.env): string | null {
  return env.VERINOTES_CACHE === "off" ? null : (env.VERINOTES_CACHE_DIR ?? ".cache");
}

export default function (eleventyConfig: any) {
  const caches = cacheDirFromEnv();
  eleventyConfig.addPlugin(hexoNotes, {
    ...sourceFromEnv(),
    // `npm run build -- --permalink-timezone Asia/Shanghai`: the timezone the published Hexo site was built in.
    ...(process.env.VERINOTES_PERMALINK_TIMEZONE ? { permalinkTimezone: process.env.VERINOTES_PERMALINK_TIMEZONE } : {}),
    // `--heading-ids <style>` and `--keep-anchors-from <published site>` (see README "Move from Hexo").
    ...(process.env.VERINOTES_HEADING_IDS ? { headingIds: process.env.VERINOTES_HEADING_IDS } : {}),
    ...(process.env.VERINOTES_KEEP_ANCHORS_FROM ? { keepAnchorsFrom: process.env.VERINOTES_KEEP_ANCHORS_FROM } : {}),
    cacheDir: caches ? `${caches}/render` : false,
    reuseOutput: caches !== null, // the layouts print only what the plugins give them: unchanged pages are not rendered again
  });
  eleventyConfig.addPlugin(verifiedSnippets, {
    verify: process.env.VERINOTES_VERIFY !== "off",
    cacheDir: caches ? `${caches}/snippets` : null,
  });
  // `npm run build -- --localize-images`: remote images copied into the site once (kept in the cache folder).
  eleventyConfig.addPlugin(remoteImages, {
    localizeImages: process.env.VERINOTES_LOCALIZE_IMAGES === "1",
    cacheDir: caches ? `${caches}/images` : path.join(os.tmpdir(), `verinotes-images-${process.pid}`),
  });
  eleventyConfig.addPlugin(verinotesSearch, { cacheDir: caches ? `${caches}/search` : false });

  // Under `npm start`, a saved note is picked up 50 ms after its last write (Eleventy waits 150 ms by default).
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } });

  eleventyConfig.addPassthroughCopy({ "layouts/assets": "assets", "layouts/assets/favicon.svg": "favicon.svg" });
  eleventyConfig.addPassthroughCopy({ [katexAssetsDir]: "assets/katex" });

  return {
    dir: { input: ".", includes: "layouts", layouts: "layouts" },
    // Only the virtual templates are pages: the repository's own Markdown (README, docs) is not site content.
    templateFormats: ["njk"],
  };
}
