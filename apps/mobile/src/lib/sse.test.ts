import { createSseParser, type SseEvent } from './sse';

describe('createSseParser', () => {
  function parse(chunks: string[]): SseEvent[] {
    const events: SseEvent[] = [];
    const parser = createSseParser((event) => events.push(event));
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
    return events;
  }

  it('reads named events with JSON data', () => {
    expect(parse(['event: reframe\ndata: {"index":0}\n\n', 'event: turn\ndata: {"id":"x"}\n\n'])).toEqual([
      { event: 'reframe', data: '{"index":0}' },
      { event: 'turn', data: '{"id":"x"}' },
    ]);
  });

  it.each([
    ['split inside a line', ['event: rep', 'lace\nda', 'ta: 1\n\n']],
    ['split between CR and LF', ['event: replace\r', '\ndata: 1\r\n\r\n']],
    ['one character at a time', [...'event: replace\ndata: 1\n\n']],
  ])('survives chunks %s', (_name, chunks) => {
    expect(parse(chunks)).toEqual([{ event: 'replace', data: '1' }]);
  });

  it('joins multi-line data, skips comments and defaults the event name', () => {
    expect(parse([': keep-alive\n', 'data: a\ndata: b\n\n'])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('dispatches a last event without a trailing blank line', () => {
    expect(parse(['event: turn\ndata: {}'])).toEqual([{ event: 'turn', data: '{}' }]);
  });
});
