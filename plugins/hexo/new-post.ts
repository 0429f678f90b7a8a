// `npm run new -- "标题"`, like `hexo new`: the file name follows `new_post_name` with the title slugized
// (`filename_case` applied), and the front matter's date is the wall clock in the site timezone.
import type { HexoConfig } from "./types.ts";
import { slugize } from "./slug.ts";
import { formatInZone } from "./dates.ts";

export interface NewPost {
  /** Path relative to the posts folder, e.g. `Hello-World-你好.md` or `2026-11-26-Hello.md`. */
  file: string;
  text: string;
}

export function newPost(title: string, config: HexoConfig, now: Date, zone: string): NewPost {
  const parts = formatInZone(now, zone);
  const slug = slugize(title, config.filename_case);
  if (!slug) throw new Error(`the title ${JSON.stringify(title)} gives an empty file name; use letters or CJK characters`);
  const file = config.new_post_name
    .replace(/:title/g, slug)
    .replace(/:year/g, parts.YYYY)
    .replace(/:month/g, parts.MM)
    .replace(/:i_month/g, parts.M)
    .replace(/:day/g, parts.DD)
    .replace(/:i_day/g, parts.D);
  const date = `${parts.YYYY}-${parts.MM}-${parts.DD} ${parts.HH}:${parts.mm}:${parts.ss}`;
  // Quoted with JSON rules, which YAML reads back as the same string.
  const text = `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\ncategories: []\ntags: []\n---\n\n`;
  return { file: /\.[a-z]+$/i.test(file) ? file : `${file}.md`, text };
}
