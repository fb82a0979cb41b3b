import { zoneOffsetMinutes } from '../time/zoned-day-start.js';

const DAY_MS = 86_400_000;

/** The instant a calendar day (YYYY-MM-DD) begins in `timeZone`. */
export function localDayStart(isoDay: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${isoDay}T00:00:00Z`);
  const guess = midnightUtc - zoneOffsetMinutes(new Date(midnightUtc), timeZone) * 60_000;
  // Settle on the offset in force at the local midnight itself (it differs only across a clock change).
  return new Date(midnightUtc - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function formatLocalDay(at: Date, timeZone: string): string {
  return new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000).toISOString().slice(0, 10);
}

/** The day `days` after an ISO day. */
export function addDays(isoDay: string, days: number): string {
  return new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one ISO day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The instants of the days `from`..`to` inclusive in `timeZone`: [start, end). */
export function localPeriod(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: localDayStart(from, timeZone), end: localDayStart(addDays(to, 1), timeZone) };
}
