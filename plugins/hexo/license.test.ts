import { describe, expect, it } from "vitest";
import { licenseOf, noteLicense } from "./license.ts";

describe("licenseOf", () => {
  it("links Creative Commons names, written in full or as NexT writes them", () => {
    expect(licenseOf("CC BY-NC-SA 4.0")).toEqual({ text: "CC BY-NC-SA 4.0", url: "https://creativecommons.org/licenses/by-nc-sa/4.0/" });
    expect(licenseOf("by-nc-sa")).toEqual({ text: "CC BY-NC-SA 4.0", url: "https://creativecommons.org/licenses/by-nc-sa/4.0/" });
    expect(licenseOf("cc-by-3.0")).toEqual({ text: "CC BY 3.0", url: "https://creativecommons.org/licenses/by/3.0/" });
    expect(licenseOf("CC0")).toEqual({ text: "CC0 1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/" });
  });
  it("shows other text as it is, and links a URL", () => {
    expect(licenseOf("转载请注明出处")).toEqual({ text: "转载请注明出处" });
    expect(licenseOf("by-xx")).toEqual({ text: "by-xx" });
    expect(licenseOf("https://example.org/terms")).toEqual({ text: "https://example.org/terms", url: "https://example.org/terms" });
  });
  it("says nothing for no value, and null for false", () => {
    expect(licenseOf(undefined)).toBeUndefined();
    expect(licenseOf("  ")).toBeUndefined();
    expect(licenseOf(false)).toBeNull();
  });
});

describe("noteLicense", () => {
  const site = { text: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/" };
  it("takes the note's license or copyright over the site's", () => {
    expect(noteLicense({ license: "MIT" }, site)).toEqual({ text: "MIT" });
    expect(noteLicense({ copyright: "by-sa" }, site)?.text).toBe("CC BY-SA 4.0");
    expect(noteLicense({}, site)).toBe(site);
  });
  it("hides the line for `copyright: false`", () => {
    expect(noteLicense({ copyright: false }, site)).toBeUndefined();
    expect(noteLicense({ license: false }, undefined)).toBeUndefined();
  });
});
