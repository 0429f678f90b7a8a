// `npm run new -- "标题" [--hexo <blog>]`: creates a note in the blog's source/_posts (default content/), like
// `hexo new`. Refuses to overwrite an existing note.
import fs from "node:fs";
import path from "node:path";
import { newPost } from "../plugins/hexo/new-post.ts";
import { parseHexoConfig, defaultHexoConfig } from "../plugins/hexo/config.ts";

const args = process.argv.slice(2);
const usage = 'usage: npm run new -- "Title of the note" [--hexo <blog>]   (default blog: content/)';
if (args.some((a) => a === "--help" || a === "-h")) {
  console.log(usage);
  process.exit(0);
}
const unknown = args.find((a) => a.startsWith("--") && a !== "--hexo");
if (unknown) {
  console.error(`unknown option ${unknown}\n${usage}`);
  process.exit(2);
}
const hexoIndex = args.indexOf("--hexo");
const blog = hexoIndex >= 0 ? args.splice(hexoIndex, 2)[1] : "content";
const title = args.join(" ").trim();
if (!title || !blog) {
  console.error(usage);
  process.exit(2);
}
const configFile = path.join(blog, "_config.yml");
const config = fs.existsSync(configFile) ? parseHexoConfig(fs.readFileSync(configFile, "utf8"), configFile).config : defaultHexoConfig();
const zone = config.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const post = newPost(title, config, new Date(), zone);
const target = path.join(blog, "source/_posts", post.file);
if (fs.existsSync(target)) {
  console.error(`${target} already exists; choose another title`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, post.text);
console.log(`Created ${target}`);
