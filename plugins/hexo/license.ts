// The licence line under a note: `license:` (or `copyright:`) in _config.yml or in the note's front matter.
// A Creative Commons name, as written in full ("CC BY-NC-SA 4.0") or as NexT's `creative_commons` writes it
// ("by-nc-sa"), links to its deed; any other text is shown as it is. Pure.

export interface License {
  text: string;
  url?: string;
}

const ccVariants = new Set(["by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"]);

/** The licence a value names; `undefined` for no value, `null` for `false` (the note asks for no licence line). */
export function licenseOf(value: unknown): License | null | undefined {
  if (value === false) return null;
  if (value === undefined || value === null || typeof value === "object") return undefined;
  const text = String(value).trim();
  if (!text) return undefined;
  const cc = /^(?:cc[ -])?(by(?:-(?:nc|sa|nd)){0,2})(?:[ -](\d\.\d))?$/i.exec(text);
  if (cc && ccVariants.has(cc[1].toLowerCase())) {
    const variant = cc[1].toLowerCase();
    const version = cc[2] ?? "4.0";
    return { text: `CC ${variant.toUpperCase()} ${version}`, url: `https://creativecommons.org/licenses/${variant}/${version}/` };
  }
  if (/^cc0(?:[ -]1\.0)?$/i.test(text)) return { text: "CC0 1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/" };
  return /^https?:\/\/\S+$/.test(text) ? { text, url: text } : { text };
}

/** The note's own licence (front matter `license:`, else `copyright:`) wins over the site's; `false` hides it. */
export function noteLicense(data: Record<string, unknown>, site: License | undefined): License | undefined {
  const own = licenseOf(data.license !== undefined ? data.license : data.copyright);
  return own === null ? undefined : (own ?? site);
}
