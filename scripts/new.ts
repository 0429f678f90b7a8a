// `verinotes new "标题" [--hexo <blog>]` (`npm run new -- …` here): creates a note in the blog's source/_posts, like
// `hexo new` (default blog: the current folder when it is a Hexo blog, else content/). Refuses to overwrite a note.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { newPost } from "../plugins/hexo/new-post.ts";
import { parseHexoConfig, defaultHexoConfig } from "../plugins/hexo/config.ts";
import { defaultBlog } from "./blog-folder.ts";
import { isMain } from "./run-main.ts";

const USAGE = 'usage: verinotes new "Title of the note" [--hexo <blog>]   (npm run new -- … here; default blog: the current folder when it is a Hexo blog, else content/)';

/** `verinotes new`: the exit status (1 when the note exists already, 2 for a wrong command line). */
export async function main(argv: string[]): Promise<number> {
  let values: { hexo?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { hexo: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const blog = values.hexo ?? defaultBlog();
  const title = positionals.join(" ").trim();
  if (!title || !blog) {
    console.error(USAGE);
    return 2;
  }
  const configFile = path.join(blog, "_config.yml");
  const config = fs.existsSync(configFile) ? parseHexoConfig(fs.readFileSync(configFile, "utf8"), configFile).config : defaultHexoConfig();
  const zone = config.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const post = newPost(title, config, new Date(), zone);
  const target = path.join(blog, "source/_posts", post.file);
  if (fs.existsSync(target)) {
    console.error(`${target} already exists; choose another title`);
    return 1;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, post.text);
  console.log(`Created ${target}`);
  return 0;
}

if (isMain(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
