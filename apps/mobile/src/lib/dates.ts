/** "Today, 14:05", "Yesterday, 09:12" or "3 Mar, 18:40", in the device's locale and time zone. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === now.toDateString()) return `Today, ${time}`;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (date.toDateString() === yesterday.toDateString()) return `Yesterday, ${time}`;
  return `${date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`;
}

/** A calendar date ("2026-12-07") in the person's locale, e.g. "Mon, Dec 7" or "Mo., 7. Dez."; the year only when it is not this year's. */
export function formatLocalDate(localDate: string, now: Date = new Date(), locale?: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!match) return localDate;
  // Noon UTC formatted in UTC: the same calendar day whatever the device's zone.
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  const sameYear = Number(match[1]) === now.getFullYear();
  return date.toLocaleDateString(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
}
