import { describe, expect, it } from 'vitest';
import { EventParser } from './sse.ts';

describe('EventParser', () => {
  it('reads events split anywhere across chunks, skipping keep-alive comments', () => {
    const parser = new EventParser();
    expect(parser.push('id: start\nda')).toEqual([]);
    expect(parser.push('ta: {"id":"x"}\n\n: keep-alive\n\nid: progress\r\ndata: {"a":1}\r\n')).toEqual([
      { id: 'start', event: 'message', data: '{"id":"x"}' },
    ]);
    expect(parser.push('\r\nevent: log\nid: end\ndata: line1\ndata: line2\n\n')).toEqual([
      { id: 'progress', event: 'message', data: '{"a":1}' },
      { id: 'end', event: 'log', data: 'line1\nline2' },
    ]);
  });
});
