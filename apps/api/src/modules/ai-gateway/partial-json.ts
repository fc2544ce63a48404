/**
 * Reads the growing text of a streamed JSON object and returns what is certain so far.
 *
 * Rule: a value appears only once it is complete, except objects and arrays that are still open
 * as property values, which appear with their complete members. Arrays hold only completed
 * elements, so `{ "reframes": [ {..}, {..`  yields two reframes once the second object closes and
 * never a half-written one. Strings and numbers still being written are left out, because their
 * final value is not known yet.
 */

/** A deep partial of a task output, as streamed: every property may still be missing. */
export type DeepPartial<T> = T extends ReadonlyArray<infer E>
  ? Array<E>
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

type Parsed = { value: unknown; complete: boolean } | undefined;

class SyntaxStop extends Error {}

/**
 * Parses the prefix of a JSON object. Returns the certain part as an object, or undefined when
 * no object has started or the text is not JSON.
 */
export function parsePartialJsonObject(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{');
  if (start === -1) return undefined;
  const parser = new PartialParser(text, start);
  try {
    const parsed = parser.value();
    if (parsed === undefined) return undefined;
    const { value } = parsed;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch (error) {
    if (error instanceof SyntaxStop) return undefined;
    throw error;
  }
}

class PartialParser {
  private pos: number;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  value(): Parsed {
    this.skipWhitespace();
    if (this.atEnd()) return undefined;
    const char = this.text[this.pos];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') {
      const parsed = this.string();
      return parsed === undefined ? undefined : { value: parsed, complete: true };
    }
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    return this.literal();
  }

  private object(): Parsed {
    const result: Record<string, unknown> = {};
    this.pos += 1;
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd()) return { value: result, complete: false };
      if (this.text[this.pos] === '}') {
        this.pos += 1;
        return { value: result, complete: true };
      }
      if (this.text[this.pos] !== '"') throw new SyntaxStop();
      const key = this.string();
      if (key === undefined) return { value: result, complete: false };
      this.skipWhitespace();
      if (this.atEnd()) return { value: result, complete: false };
      if (this.text[this.pos] !== ':') throw new SyntaxStop();
      this.pos += 1;
      const member = this.value();
      if (member === undefined) return { value: result, complete: false };
      if (!member.complete) {
        if (isContainer(member.value)) result[key] = member.value;
        return { value: result, complete: false };
      }
      result[key] = member.value;
      this.skipWhitespace();
      if (this.atEnd()) return { value: result, complete: false };
      const next = this.text[this.pos];
      if (next === ',') this.pos += 1;
      else if (next !== '}') throw new SyntaxStop();
    }
  }

  private array(): Parsed {
    const result: unknown[] = [];
    this.pos += 1;
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd()) return { value: result, complete: false };
      if (this.text[this.pos] === ']') {
        this.pos += 1;
        return { value: result, complete: true };
      }
      const element = this.value();
      if (element === undefined || !element.complete) return { value: result, complete: false };
      result.push(element.value);
      this.skipWhitespace();
      if (this.atEnd()) return { value: result, complete: false };
      const next = this.text[this.pos];
      if (next === ',') this.pos += 1;
      else if (next !== ']') throw new SyntaxStop();
    }
  }

  /** A complete string, or undefined when the text ends inside it. */
  private string(): string | undefined {
    const open = this.pos;
    this.pos += 1;
    for (;;) {
      if (this.atEnd()) return undefined;
      const char = this.text[this.pos];
      if (char === '\\') {
        // An escape cut in half (`\` or `\u12`) is simply unfinished.
        this.pos += this.text[this.pos + 1] === 'u' ? 6 : 2;
        continue;
      }
      this.pos += 1;
      if (char === '"') break;
    }
    try {
      return JSON.parse(this.text.slice(open, this.pos)) as string;
    } catch {
      throw new SyntaxStop();
    }
  }

  private number(): Parsed {
    const begin = this.pos;
    while (!this.atEnd() && /[-+0-9.eE]/.test(this.text[this.pos] ?? '')) this.pos += 1;
    const raw = this.text.slice(begin, this.pos);
    // A number at the very end may still grow ("1" then "12").
    if (this.atEnd()) return undefined;
    const value = Number(raw);
    if (raw === '' || Number.isNaN(value)) throw new SyntaxStop();
    return { value, complete: true };
  }

  private literal(): Parsed {
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      const available = this.text.slice(this.pos, this.pos + word.length);
      if (available === word) {
        this.pos += word.length;
        return { value, complete: true };
      }
      if (this.pos + available.length === this.text.length && word.startsWith(available)) {
        this.pos = this.text.length;
        return undefined;
      }
    }
    throw new SyntaxStop();
  }

  private skipWhitespace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos] ?? '')) this.pos += 1;
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
