import { describe, expect, it } from "vitest";
import { resolveHexoOptions } from "./options.ts";

describe("resolveHexoOptions", () => {
  it("takes a real timezone for permalinks and refuses one that is not", () => {
    expect(resolveHexoOptions({ permalinkTimezone: "Asia/Shanghai" }).permalinkTimezone).toBe("Asia/Shanghai");
    expect(resolveHexoOptions({}).permalinkTimezone).toBe("UTC");
    expect(() => resolveHexoOptions({ permalinkTimezone: "Mars/Olympus" })).toThrow(/Mars\/Olympus is not a timezone/);
  });
});
