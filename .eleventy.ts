// The repository's own site: the Verinotes site configuration (plugins/site/index.ts), which the `verinotes`
// command of the package loads too. `npm run build -- --hexo <blog>` sets where the notes come from.
export { default, cacheDirFromEnv, sourceFromEnv } from "./plugins/site/index.ts";
