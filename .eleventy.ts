// Verinotes site configuration: reads like a table of contents. Each concern is a plugin under plugins/.
import hexoNotes from "./plugins/hexo/index.ts";
import verifiedSnippets from "./plugins/snippets/eleventy.ts";
import verinotesSearch from "./plugins/search/index.ts";
import { katexAssetsDir } from "./plugins/markdown/math.ts";

/** Where the notes come from: set by `npm run build -- --hexo <blog>` / `--input <folder>`; default `content/`. */
export function sourceFromEnv(env = process.env) {
  if (env.VERINOTES_INPUT) return { input: env.VERINOTES_INPUT };
  return { hexo: env.VERINOTES_HEXO || "content" };
}

export default function (eleventyConfig: any) {
  eleventyConfig.addPlugin(hexoNotes, {
    ...sourceFromEnv(),
    cacheDir: process.env.VERINOTES_CACHE === "off" ? false : (process.env.VERINOTES_CACHE_DIR ?? ".cache/render"),
  });
  eleventyConfig.addPlugin(verifiedSnippets, { verify: process.env.VERINOTES_VERIFY !== "off" });
  eleventyConfig.addPlugin(verinotesSearch);

  eleventyConfig.addPassthroughCopy({ "layouts/assets": "assets", "layouts/assets/favicon.svg": "favicon.svg" });
  eleventyConfig.addPassthroughCopy({ [katexAssetsDir]: "assets/katex" });

  return {
    dir: { input: ".", includes: "layouts", layouts: "layouts" },
    // Only the virtual templates are pages: the repository's own Markdown (README, docs) is not site content.
    templateFormats: ["njk"],
  };
}
