// Interface labels for the layouts, one messages file per language in messages/ (en, zh-CN, zh-TW). The site's
// `language` picks them, and a note's `lang:` picks them for its own page.
import { en, type Labels } from "./messages/en.ts";
import { zhCN } from "./messages/zh-CN.ts";
import { zhTW } from "./messages/zh-TW.ts";

export type { Labels };

/** Languages with their own messages file, by BCP 47 tag. */
export const messages: Record<string, Labels> = { en, "zh-CN": zhCN, "zh-TW": zhTW };

/**
 * The messages for a language tag: traditional Chinese for zh-TW, zh-HK, zh-MO and zh-Hant*, simplified for any
 * other zh, else English (Hexo blogs write `zh-CN`, `zh-cn`, `zh_CN`, `zh-Hans`…).
 */
export function labelsFor(language: string): Labels {
  const tag = language.trim().replace(/_/g, "-").toLowerCase();
  if (/^zh-(tw|hk|mo|hant)\b/.test(tag)) return zhTW;
  if (/^zh\b/.test(tag)) return zhCN;
  return en;
}
