// An Eleventy site made of this project's layouts and the plugins a test adds: an empty config file, so that the
// repository's own `.eleventy.ts` is not read.
import fs from "node:fs";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import type UserConfig from "@11ty/eleventy/UserConfig";
import { projectRoot } from "./cli.ts";

/** An Eleventy writing to `out`, its config file in `dir`, configured by `addPlugins`. */
export function eleventyWith(dir: string, out: string, addPlugins: (config: UserConfig) => void): Eleventy {
  const configPath = path.join(dir, "eleventy.config.mjs");
  fs.writeFileSync(configPath, "export default function () {}\n");
  return new Eleventy(projectRoot, out, {
    configPath,
    quietMode: true,
    config: (config: UserConfig) => {
      config.setIncludesDirectory("layouts");
      config.setTemplateFormats(["njk"]);
      addPlugins(config);
    },
  });
}
