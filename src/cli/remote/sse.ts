/**
 * Server-sent events read from a response body (the server's follow streams). The server names its
 * events as Kestra does, by their `id` (`start`, `progress`, `end`); an `event:` field, when present,
 * names it instead. Comment lines (keep-alives) are skipped.
 */

export interface ServerEvent {
  /** `event`, or else `id`: what the event is (`start`, `progress`, `end`). */
  name: string;
  /** The data lines, joined. */
  data: string;
}

export async function* readEvents(response: Response): AsyncGenerator<ServerEvent> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  let id = '';
  let event = '';
  let data: string[] = [];
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    for (let eol = buffer.indexOf('\n'); eol >= 0; eol = buffer.indexOf('\n')) {
      const line = buffer.slice(0, eol).replace(/\r$/, '');
      buffer = buffer.slice(eol + 1);
      if (line === '') {
        if (data.length > 0 || id || event) yield { name: event || id, data: data.join('\n') };
        id = '';
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'event') event = value;
    }
  }
}
