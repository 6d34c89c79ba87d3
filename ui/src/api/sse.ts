/**
 * Server-sent events read with `fetch` rather than `EventSource`: EventSource cannot send the session's
 * Authorization header. Parses the text/event-stream format (`event:`, `id:`, `data:` lines, a blank line
 * ends an event; `:` lines are keep-alive comments).
 */
import { rawRequest } from './client.ts';

export interface ServerEvent {
  id: string;
  event: string;
  data: string;
}

/** Splits a stream's text into events; keeps the unfinished tail for the next chunk. */
export class EventParser {
  #buffer = '';
  #id = '';
  #event = 'message';
  #data: string[] = [];

  push(chunk: string): ServerEvent[] {
    this.#buffer += chunk;
    const events: ServerEvent[] = [];
    let newline = this.#buffer.search(/\r?\n/);
    while (newline >= 0) {
      const line = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + (this.#buffer[newline] === '\r' ? 2 : 1));
      if (line === '') {
        if (this.#data.length > 0)
          events.push({ id: this.#id, event: this.#event, data: this.#data.join('\n') });
        this.#event = 'message';
        this.#data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') this.#data.push(value);
        else if (field === 'id') this.#id = value;
        else if (field === 'event') this.#event = value;
      }
      newline = this.#buffer.search(/\r?\n/);
    }
    return events;
  }
}

/** Reads the events of `path` until the server ends the stream or `signal` aborts. */
export const readEvents = async (
  path: string,
  signal: AbortSignal,
  onEvent: (event: ServerEvent) => void,
): Promise<void> => {
  const response = await rawRequest(path, { signal });
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      for (const event of parser.push(value)) onEvent(event);
    }
  } finally {
    reader.releaseLock();
  }
};
