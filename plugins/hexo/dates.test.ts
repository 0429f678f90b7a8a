import { describe, expect, it } from "vitest";
import { dateFromFilenameParams, displayZone, formatDisplayDate, formatInZone, isValidTimeZone, parseHexoDate, postDate, type Zones } from "./dates.ts";
import { parseFrontMatter } from "./frontmatter.ts";

/** The `date:` value exactly as the front-matter parser hands it over. */
function frontMatterDate(yamlValue: string): unknown {
  const result = parseFrontMatter(`---\ndate: ${yamlValue}\n---\n`);
  if (!result.ok) throw new Error(result.message);
  return result.value.data.date;
}

/** Instant (ISO) and the `YYYY/MM/DD` permalink day (formatted in Z). */
function hexoDate(yamlValue: string, zones: Zones): [string, string] | undefined {
  const date = parseHexoDate(frontMatterDate(yamlValue), zones);
  if (!date) return undefined;
  const { YYYY, MM, DD } = formatInZone(date, zones.machineTimezone);
  return [date.toISOString(), `${YYYY}/${MM}/${DD}`];
}

const utc: Zones = { machineTimezone: "UTC", siteTimezone: "" };
const utcShanghai: Zones = { machineTimezone: "UTC", siteTimezone: "Asia/Shanghai" };
const utcNewYork: Zones = { machineTimezone: "UTC", siteTimezone: "America/New_York" };
const shanghai: Zones = { machineTimezone: "Asia/Shanghai", siteTimezone: "" };
const shanghaiNewYork: Zones = { machineTimezone: "Asia/Shanghai", siteTimezone: "America/New_York" };

// hexo-semantics.md §4.2: columns Z=UTC/T='', Z=UTC/T=Shanghai, Z=UTC/T=New York, Z=Shanghai/T='', Z=Shanghai/T=New York.
// A day is given where the spec gives the post.path day.
type Cell = [iso: string, day?: string];
const table: Array<{ value: string; cells: [Cell, Cell, Cell, Cell, Cell] }> = [
  {
    value: "2022-06-03 15:15:43",
    cells: [
      ["2022-06-03T15:15:43.000Z", "2022/06/03"],
      ["2022-06-03T07:15:43.000Z", "2022/06/03"],
      ["2022-06-03T19:15:43.000Z", "2022/06/03"],
      ["2022-06-03T07:15:43.000Z", "2022/06/03"],
      ["2022-06-03T19:15:43.000Z", "2022/06/04"],
    ],
  },
  {
    value: "2022-06-03",
    cells: [
      ["2022-06-03T00:00:00.000Z", "2022/06/03"],
      ["2022-06-02T16:00:00.000Z", "2022/06/02"],
      ["2022-06-03T04:00:00.000Z", "2022/06/03"],
      ["2022-06-02T16:00:00.000Z", "2022/06/03"],
      ["2022-06-03T04:00:00.000Z", "2022/06/03"],
    ],
  },
  {
    value: '"2022-06-03 15:15:43"',
    cells: [["2022-06-03T15:15:43.000Z"], ["2022-06-03T07:15:43.000Z"], ["2022-06-03T19:15:43.000Z"], ["2022-06-03T07:15:43.000Z"], ["2022-06-03T19:15:43.000Z"]],
  },
  {
    value: "2022/06/03 15:15:43", // same as the quoted form
    cells: [["2022-06-03T15:15:43.000Z"], ["2022-06-03T07:15:43.000Z"], ["2022-06-03T19:15:43.000Z"], ["2022-06-03T07:15:43.000Z"], ["2022-06-03T19:15:43.000Z"]],
  },
  {
    value: "2022-06-03 15:15",
    cells: [["2022-06-03T15:15:00.000Z"], ["2022-06-03T07:15:00.000Z"], ["2022-06-03T19:15:00.000Z"], ["2022-06-03T07:15:00.000Z"], ["2022-06-03T19:15:00.000Z"]],
  },
  {
    value: "2022-06-03 05:00:00",
    cells: [
      ["2022-06-03T05:00:00.000Z", "2022/06/03"],
      ["2022-06-02T21:00:00.000Z", "2022/06/02"],
      ["2022-06-03T09:00:00.000Z", "2022/06/03"],
      ["2022-06-02T21:00:00.000Z", "2022/06/03"],
      ["2022-06-03T09:00:00.000Z", "2022/06/03"],
    ],
  },
  {
    value: "1654269343000",
    cells: [["2022-06-03T15:15:43.000Z"], ["2022-06-03T07:15:43.000Z"], ["2022-06-03T19:15:43.000Z"], ["2022-06-03T15:15:43.000Z"], ["2022-06-04T03:15:43.000Z"]],
  },
  {
    value: "2022-6-3 5:05:09",
    cells: [["2022-06-03T05:05:09.000Z"], ["2022-06-02T21:05:09.000Z"], ["2022-06-03T09:05:09.000Z"], ["2022-06-02T21:05:09.000Z"], ["2022-06-03T09:05:09.000Z"]],
  },
];

// Our deliberate difference from Hexo (bug #4548): a date with its own offset keeps its real instant in every column.
// Hexo gives 13:15:43Z / 05:15:43Z / 17:15:43Z / 05:15:43Z / 17:15:43Z for +02:00 and 15:15:43Z / 07:15:43Z / 19:15:43Z / … for Z.
const withOffset: Array<{ value: string; cells: [Cell, Cell, Cell, Cell, Cell] }> = [
  {
    value: "2022-06-03T15:15:43+02:00",
    cells: [
      ["2022-06-03T13:15:43.000Z", "2022/06/03"],
      ["2022-06-03T13:15:43.000Z", "2022/06/03"],
      ["2022-06-03T13:15:43.000Z", "2022/06/03"],
      ["2022-06-03T13:15:43.000Z", "2022/06/03"],
      ["2022-06-03T13:15:43.000Z", "2022/06/03"],
    ],
  },
  {
    value: "2022-06-03T15:15:43Z",
    cells: [
      ["2022-06-03T15:15:43.000Z", "2022/06/03"],
      ["2022-06-03T15:15:43.000Z", "2022/06/03"],
      ["2022-06-03T15:15:43.000Z", "2022/06/03"],
      ["2022-06-03T15:15:43.000Z", "2022/06/03"],
      ["2022-06-03T15:15:43.000Z", "2022/06/03"],
    ],
  },
  {
    value: '"2022-06-03T15:15:43Z"', // quoted: V8 reads the Z; we keep that instant too
    cells: [["2022-06-03T15:15:43.000Z"], ["2022-06-03T15:15:43.000Z"], ["2022-06-03T15:15:43.000Z"], ["2022-06-03T15:15:43.000Z"], ["2022-06-03T15:15:43.000Z"]],
  },
];

const columns = [
  ["Z=UTC T=''", utc],
  ["Z=UTC T=Asia/Shanghai", utcShanghai],
  ["Z=UTC T=America/New_York", utcNewYork],
  ["Z=Asia/Shanghai T=''", shanghai],
  ["Z=Asia/Shanghai T=America/New_York", shanghaiNewYork],
] as const;

const cases = (rows: typeof table) =>
  rows.flatMap(({ value, cells }) => cells.map((cell, i) => ({ value, column: columns[i][0], zones: columns[i][1], iso: cell[0], day: cell[1] })));

describe("parseHexoDate: §4.2", () => {
  it.each(cases(table))("$value, $column", ({ value, zones, iso, day }) => {
    const result = hexoDate(value, zones);
    expect(result?.[0]).toBe(iso);
    if (day) expect(result?.[1]).toBe(day);
  });

  it.each(cases(withOffset))("explicit offset honoured: $value, $column", ({ value, zones, iso, day }) => {
    const result = hexoDate(value, zones);
    expect(result?.[0]).toBe(iso);
    if (day) expect(result?.[1]).toBe(day);
  });

  it.each([
    { value: "2022-06-03 15:15:43.5", zones: utc, iso: "2022-06-03T15:15:43.500Z" },
    { value: "2022-06-03 15:15:43.5", zones: utcShanghai, iso: "2022-06-03T07:15:43.500Z" },
    { value: "2022-02-30 10:00:00", zones: utc, iso: "2022-03-02T10:00:00.000Z" }, // rolls over, no error
    { value: '"2022-06-03"', zones: { machineTimezone: "Asia/Shanghai", siteTimezone: "UTC" }, iso: "2022-06-03T08:00:00.000Z" },
  ])("$value in Z=$zones.machineTimezone T=$zones.siteTimezone", ({ value, zones, iso }) => {
    expect(hexoDate(value, zones)?.[0]).toBe(iso);
  });

  it.each([
    { name: "not a date", value: frontMatterDate("not a date") },
    { name: "empty", value: frontMatterDate("") },
    { name: "absent", value: undefined },
    { name: "empty string", value: "" },
  ])("$name is missing (Hexo falls back to the file's birth time)", ({ value }) => {
    expect(parseHexoDate(value, utc)).toBeUndefined();
    expect(parseHexoDate(value, shanghaiNewYork)).toBeUndefined();
  });

  // Recorded from Hexo 8.1.2 (hexo-reference harness, dates around the 2022 US/EU DST changes):
  // Hexo takes both offsets at the machine-zone instant, so some hours land off by one; we match it.
  it.each([
    { value: "2022-03-13 02:30:00", zones: { machineTimezone: "America/New_York", siteTimezone: "" }, iso: "2022-03-13T07:30:00.000Z" },
    { value: "2022-11-06 01:30:00", zones: { machineTimezone: "America/New_York", siteTimezone: "" }, iso: "2022-11-06T05:30:00.000Z" },
    { value: "2022-03-13 02:30:00", zones: utcNewYork, iso: "2022-03-13T07:30:00.000Z" },
    { value: "2022-11-06 01:30:00", zones: utcNewYork, iso: "2022-11-06T05:30:00.000Z" },
    { value: "2022-11-06 01:30:00", zones: { machineTimezone: "Europe/Berlin", siteTimezone: "" }, iso: "2022-11-06T00:30:00.000Z" },
    { value: "2022-03-27 02:30:00", zones: { machineTimezone: "Europe/Berlin", siteTimezone: "" }, iso: "2022-03-27T00:30:00.000Z" },
    { value: "2022-10-30 02:30:00", zones: { machineTimezone: "Europe/Berlin", siteTimezone: "" }, iso: "2022-10-30T01:30:00.000Z" },
    { value: "2022-03-27 02:30:00", zones: { machineTimezone: "Asia/Shanghai", siteTimezone: "UTC" }, iso: "2022-03-27T02:30:00.000Z" },
    { value: '"2022-03-13 02:30"', zones: { machineTimezone: "America/New_York", siteTimezone: "" }, iso: "2022-03-13T07:30:00.000Z" },
    { value: '"June 3, 2022 15:00"', zones: shanghaiNewYork, iso: "2022-06-03T19:00:00.000Z" },
    { value: '"2022-06-03T15:15"', zones: { machineTimezone: "Europe/Berlin", siteTimezone: "" }, iso: "2022-06-03T13:15:00.000Z" },
    { value: '"2022-06-03"', zones: { machineTimezone: "America/New_York", siteTimezone: "" }, iso: "2022-06-03T00:00:00.000Z" },
  ])("recorded: $value in Z=$zones.machineTimezone T=$zones.siteTimezone", ({ value, zones, iso }) => {
    expect(hexoDate(value, zones)?.[0]).toBe(iso);
  });
});

describe("dateFromFilenameParams: §4.2 file 2021-02-03-k.md without date", () => {
  it.each([
    { column: columns[0][0], zones: utc, iso: "2021-02-03T00:00:00.000Z", day: "2021/02/03" },
    { column: columns[1][0], zones: utcShanghai, iso: "2021-02-02T16:00:00.000Z", day: "2021/02/02" },
    { column: columns[2][0], zones: utcNewYork, iso: "2021-02-03T05:00:00.000Z", day: "2021/02/03" },
    { column: columns[3][0], zones: shanghai, iso: "2021-02-02T16:00:00.000Z", day: "2021/02/03" },
    { column: columns[4][0], zones: shanghaiNewYork, iso: "2021-02-03T05:00:00.000Z", day: "2021/02/03" },
  ])("$column", ({ zones, iso, day }) => {
    const date = dateFromFilenameParams({ year: "2021", month: "02", day: "03" }, zones);
    expect(date?.toISOString()).toBe(iso);
    const { YYYY, MM, DD } = formatInZone(date!, zones.machineTimezone);
    expect(`${YYYY}/${MM}/${DD}`).toBe(day);
  });

  it("takes i_month/i_day and needs all three parts", () => {
    expect(dateFromFilenameParams({ year: "2021", i_month: "2", i_day: "3" }, utc)?.toISOString()).toBe("2021-02-03T00:00:00.000Z");
    expect(dateFromFilenameParams({ year: "2021", month: "02" }, utc)).toBeUndefined();
    expect(dateFromFilenameParams({ lang: "en" }, utc)).toBeUndefined();
  });
});

describe("formatting", () => {
  it("formatInZone gives the permalink parts on Z's wall-clock", () => {
    expect(formatInZone(new Date("2013-07-14T17:01:34Z"), "UTC")).toEqual({ YYYY: "2013", MM: "07", DD: "14", HH: "17", mm: "01", ss: "34", M: "7", D: "14" });
    expect(formatInZone(new Date("2013-07-14T17:01:34Z"), "Asia/Shanghai")).toEqual({ YYYY: "2013", MM: "07", DD: "15", HH: "01", mm: "01", ss: "34", M: "7", D: "15" });
  });

  it("formatDisplayDate uses the site zone, else the machine zone", () => {
    const date = new Date("2022-06-02T21:00:00Z");
    expect(formatDisplayDate(date, displayZone(utcShanghai))).toBe("2022-06-03");
    expect(formatDisplayDate(date, displayZone(utc))).toBe("2022-06-02");
    expect(formatDisplayDate(date, "Asia/Shanghai", "YYYY-MM-DD HH:mm:ss")).toBe("2022-06-03 05:00:00");
    expect(formatDisplayDate(date, "Asia/Shanghai", "D/M/YYYY [at] H:mm")).toBe("3/6/2022 at 5:00");
  });

  it("isValidTimeZone", () => {
    expect(isValidTimeZone("Asia/Shanghai")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});

describe("postDate: date, else the file name's date (processor/post.ts)", () => {
  const fromFile = { year: "2021", month: "02", day: "03" };
  it("uses the front-matter date first", () => {
    expect(postDate(frontMatterDate("2022-06-03"), fromFile, utc)?.toISOString()).toBe("2022-06-03T00:00:00.000Z");
  });
  it("uses the file name when the date is absent or empty", () => {
    expect(postDate(undefined, fromFile, utc)?.toISOString()).toBe("2021-02-03T00:00:00.000Z");
    expect(postDate(frontMatterDate(""), fromFile, utc)?.toISOString()).toBe("2021-02-03T00:00:00.000Z");
  });
  it("an invalid date goes to the birth time, not the file name (as Hexo)", () => {
    expect(postDate("not a date", fromFile, utc)).toBeUndefined();
  });
});
