// Post dates as Hexo 8 computes them (hexo-semantics.md §4), with time zones taken as inputs instead of
// from the process: Z = the "machine" zone Hexo would run in, T = `_config.yml` `timezone` ('' = none).
// One deliberate difference: a date written with its own offset (`Z`, `+02:00`) keeps that real instant
// (Hexo re-reads its UTC wall-clock in T or Z, issue #4548).

/** A YAML timestamp written with an explicit offset (`2022-06-03T15:15:43+02:00`, `…Z`); its instant is exact. */
export class OffsetTimestamp extends Date {}

export interface Zones {
  /** `_config.yml` `timezone`, '' when unset. */
  siteTimezone: string;
  /** IANA zone Hexo's process would run in; permalinks and archives are formatted in it. */
  machineTimezone: string;
}

const DAY = 86_400_000;

/**
 * The instant of a front-matter `date:`/`updated:` value, or undefined when it is missing or invalid.
 * For `date:` use `postDate`, which adds Hexo's file-name fallback.
 */
export function parseHexoDate(value: unknown, zones: Zones): Date | undefined {
  if (!value) return undefined; // Hexo tests `if (data.date)`: '', 0, false, null are "missing"
  const { siteTimezone, machineTimezone } = zones;
  let localInstant: number; // the Date Hexo holds before applying `timezone`

  if (value instanceof OffsetTimestamp) return validDate(value.getTime());
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) return undefined;
    // hexo-front-matter: js-yaml's UTC reading shifted by the machine offset, so the UTC wall-clock becomes local.
    localInstant = ms - zoneOffsetMs(machineTimezone, ms);
  } else if (typeof value === "number" || typeof value === "boolean") {
    localInstant = Number(value); // `new Date(n)`; `true` is 1 ms, as in JavaScript
  } else {
    const parsed = parseDateString(String(value), machineTimezone);
    if (!parsed) return undefined;
    if (parsed.exact) return validDate(parsed.ms);
    localInstant = parsed.ms;
  }
  if (!Number.isFinite(localInstant) || Math.abs(localInstant) > 8.64e15) return undefined;
  return validDate(applySiteTimezone(localInstant, siteTimezone, machineTimezone));
}

/**
 * A post's `date` as Hexo sets it: the front-matter value; only when that is absent or empty ('', 0, null)
 * the date in the file name. Undefined means the file's birth time (also for an invalid value: Hexo does
 * not try the file name then).
 */
export function postDate(value: unknown, filenameParams: Record<string, string>, zones: Zones): Date | undefined {
  return value ? parseHexoDate(value, zones) : dateFromFilenameParams(filenameParams, zones);
}

/**
 * Date from `new_post_name` parameters (`:year-:month-:day-:title.md`): midnight in Z, then the `timezone` rule.
 * Undefined unless year, month (or i_month) and day (or i_day) were all matched.
 */
export function dateFromFilenameParams(params: Record<string, string>, zones: Zones): Date | undefined {
  const month = params.month || params.i_month;
  const day = params.day || params.i_day;
  if (!params.year || !month || !day) return undefined;
  // `new Date(year, month - 1, day)` in Z; out-of-range months and days roll over as in JavaScript.
  const wall = Date.UTC(Number(params.year), parseInt(month, 10) - 1, parseInt(day, 10));
  const local = wallClockToInstant(wall, zones.machineTimezone);
  return validDate(applySiteTimezone(local, zones.siteTimezone, zones.machineTimezone));
}

/** Parts of `date` on the wall clock of `zone`, for permalink tokens and archive grouping. */
export interface ZonedParts {
  YYYY: string;
  MM: string;
  DD: string;
  HH: string;
  mm: string;
  ss: string;
  /** Month without zero padding. */
  M: string;
  /** Day without zero padding. */
  D: string;
}

export function formatInZone(date: Date, zone: string): ZonedParts {
  const wall = new Date(date.getTime() + zoneOffsetMs(zone, date.getTime()));
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return {
    YYYY: pad(wall.getUTCFullYear(), 4),
    MM: pad(wall.getUTCMonth() + 1),
    DD: pad(wall.getUTCDate()),
    HH: pad(wall.getUTCHours()),
    mm: pad(wall.getUTCMinutes()),
    ss: pad(wall.getUTCSeconds()),
    M: String(wall.getUTCMonth() + 1),
    D: String(wall.getUTCDate()),
  };
}

/** The zone pages show dates in: Hexo's date helpers use `timezone`, else the machine zone. */
export function displayZone(zones: Zones): string {
  return zones.siteTimezone || zones.machineTimezone;
}

/**
 * A date for display, moment-style tokens YYYY MM M DD D HH H mm ss; text in [brackets] is literal.
 * `zone` is usually `displayZone(...)`.
 */
export function formatDisplayDate(date: Date, zone: string, format: string = "YYYY-MM-DD"): string {
  const parts = formatInZone(date, zone);
  return format.replace(/\[([^\]]*)\]|YYYY|MM|M|DD|D|HH|H|mm|ss/g, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    if (token === "H") return String(Number(parts.HH));
    return parts[token as keyof ZonedParts];
  });
}

/** True when `zone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Hexo's `timezone(date, T)` (processor/common.ts): keep the wall-clock read in Z, re-read it in T.
 * Both offsets are taken at the Z instant, as Hexo does (off by an hour near DST changes, like Hexo).
 */
function applySiteTimezone(localInstant: number, siteTimezone: string, machineTimezone: string): number {
  if (!siteTimezone) return localInstant;
  return localInstant + zoneOffsetMs(machineTimezone, localInstant) - zoneOffsetMs(siteTimezone, localInstant);
}

type ParsedString = { exact: true; ms: number } | { exact: false; ms: number };

// ECMAScript date-only forms: V8 reads them as UTC midnight.
const isoDateOnly = /^(?:\d{4}|[+-]\d{6})(?:-\d{2}(?:-\d{2})?)?$/;
// ECMAScript date-time without offset: V8 reads it as local time.
const isoLocalDateTime = /^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
// A zone in the text, as V8's parser knows them: UTC/GMT/Z and US zone names, or a numeric offset after a time.
const zoneName = /(?:^|[^A-Za-z])(?:Z|UTC?|GMT|[ECMP][SD]T)(?![A-Za-z])/i;
const offsetAfterTime = /\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*[+-]\d/;

/**
 * A string date the way `new Date(str)` reads it with the process in `machineTimezone`:
 * `exact` when the text names its own zone (honoured), else the local instant in Z.
 */
function parseDateString(text: string, machineTimezone: string): ParsedString | undefined {
  if (isoDateOnly.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : { exact: false, ms };
  }
  if (zoneName.test(text) || offsetAfterTime.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : { exact: true, ms };
  }
  // Read the wall-clock fields zone-free: the ISO form with `Z`, other forms with ` UTC` appended.
  let wall = isoLocalDateTime.test(text) ? Date.parse(`${text}Z`) : Date.parse(`${text} UTC`);
  if (Number.isNaN(wall)) {
    // A form V8 reads only without the suffix: take its fields from the host zone.
    const host = new Date(text);
    if (Number.isNaN(host.getTime())) return undefined;
    wall = Date.UTC(host.getFullYear(), host.getMonth(), host.getDate(), host.getHours(), host.getMinutes(), host.getSeconds(), host.getMilliseconds());
  }
  return { exact: false, ms: wallClockToInstant(wall, machineTimezone) };
}

/**
 * The instant whose wall-clock in `zone` is `wall` (wall-clock fields encoded as a UTC time value).
 * Like JavaScript's local time: a time skipped by a DST change moves forward, a repeated time takes the first.
 */
function wallClockToInstant(wall: number, zone: string): number {
  const before = zoneOffsetMs(zone, wall - DAY);
  const after = zoneOffsetMs(zone, wall + DAY);
  const valid = [wall - before, wall - after].filter((t) => wall - t === zoneOffsetMs(zone, t));
  return valid.length ? Math.min(...valid) : wall - before;
}

/** Offset of `zone` from UTC at instant `ms`, in ms (local − UTC), from the runtime's time-zone data. */
function zoneOffsetMs(zone: string, ms: number): number {
  if (zone === "UTC" || zone === "Etc/UTC" || zone === "") return 0;
  const seconds = Math.floor(ms / 1000) * 1000;
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const field = { era: "AD", year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(seconds)) {
    if (part.type === "era") field.era = part.value;
    else if (part.type in field) (field as Record<string, number | string>)[part.type] = Number(part.value);
  }
  const year = field.era === "BC" || field.era === "B" ? 1 - field.year : field.year;
  const local = new Date(0);
  local.setUTCFullYear(year, field.month - 1, field.day);
  local.setUTCHours(field.hour, field.minute, field.second, 0);
  return Math.round((local.getTime() - seconds) / 1000) * 1000;
}

function validDate(ms: number): Date | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
