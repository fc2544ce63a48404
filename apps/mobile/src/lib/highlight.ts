/** A piece of a message: plain text, or the text of one fragment. */
export type Segment<F> = { text: string; fragment: null } | { text: string; fragment: F };

/**
 * Splits text into plain and highlighted segments by fragment offsets (UTF-16, end exclusive).
 * Offsets outside the text are clamped; a fragment overlapping an earlier one is left out, so
 * every character belongs to exactly one segment.
 */
export function splitByFragments<F extends { start: number; end: number }>(text: string, fragments: readonly F[]): Segment<F>[] {
  const sorted = [...fragments].sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: Segment<F>[] = [];
  let cursor = 0;
  for (const fragment of sorted) {
    const start = Math.max(0, Math.min(fragment.start, text.length));
    const end = Math.max(0, Math.min(fragment.end, text.length));
    if (end <= start || start < cursor) continue;
    if (start > cursor) segments.push({ text: text.slice(cursor, start), fragment: null });
    segments.push({ text: text.slice(start, end), fragment });
    cursor = end;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), fragment: null });
  return segments;
}
