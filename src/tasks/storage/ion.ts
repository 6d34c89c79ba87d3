/**
 * Reading one Ion text value per line, as Kestra writes item files (`{id:1,name:"a"}`): the subset
 * its serializer produces. Pure. JSON is valid Ion, so Baton writes JSON lines.
 *
 * Structs, lists (and s-expressions, read as lists), "strings", 'quoted symbols', bare symbols (as
 * strings), numbers (ints, decimals `1.5d0`, floats `1e0`), timestamps (kept as their text), booleans,
 * `null` and typed nulls (`null.string`); `annotation::` prefixes are skipped. Blobs and clobs are not.
 */

export class IonSyntaxError extends Error {
  override name = 'IonSyntaxError';
}

const DELIMITER = /[\s,:[\]{}()]/;
const TIMESTAMP_START = /^\d{4}-\d{2}-\d{2}T/;
const NUMBER = /^[-+]?(?:0x[0-9a-f_]+|0b[01_]+|[0-9_]+(?:\.[0-9_]*)?(?:[eEdD][-+]?[0-9]+)?|\.[0-9]+)$/i;

export const parseIon = (text: string): unknown => {
  let i = 0;
  const fail = (what: string): never => {
    throw new IonSyntaxError(`invalid Ion at character ${i + 1} (${what}): ${text.slice(0, 120)}`);
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const quoted = (q: string): string => {
    let out = '';
    i++;
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\') {
        const esc = text[++i];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };
        if (esc === 'u' || esc === 'x') {
          const len = esc === 'u' ? 4 : 2;
          out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 1 + len), 16));
          i += len;
        } else out += simple[esc ?? ''] ?? esc ?? '';
      } else out += text[i];
      i++;
    }
    if (text[i] !== q) fail('unterminated quote');
    i++;
    return out;
  };
  const bare = (): string => {
    const start = i;
    // A timestamp (`2024-01-01T10:00:00Z`) holds colons, which elsewhere end a field name.
    const inTimestamp = () =>
      text[i] === ':' && text[i + 1] !== ':' && TIMESTAMP_START.test(text.slice(start, i));
    while (i < text.length && (!DELIMITER.test(text[i]!) || inTimestamp())) i++;
    if (i === start) fail(`unexpected '${text[i] ?? 'end'}'`);
    return text.slice(start, i);
  };
  const sequence = (close: string): unknown[] => {
    i++;
    const out: unknown[] = [];
    for (skipSpace(); text[i] !== close; skipSpace()) {
      if (i >= text.length) fail(`missing '${close}'`);
      out.push(value());
      skipSpace();
      if (text[i] === ',') i++;
    }
    i++;
    return out;
  };
  const struct = (): Record<string, unknown> => {
    i++;
    const out: Record<string, unknown> = {};
    for (skipSpace(); text[i] !== '}'; skipSpace()) {
      if (i >= text.length) fail("missing '}'");
      const key = text[i] === '"' || text[i] === "'" ? quoted(text[i]!) : bare();
      skipSpace();
      if (text[i] !== ':') fail("expected ':'");
      i++;
      out[key] = value();
      skipSpace();
      if (text[i] === ',') i++;
    }
    i++;
    return out;
  };
  /** After `annotation::`: annotations are dropped, the value that follows is the value. */
  const annotated = (): unknown => {
    i += 2;
    return value();
  };
  const value = (): unknown => {
    skipSpace();
    const c = text[i];
    if (c === '{') return struct();
    if (c === '[') return sequence(']');
    if (c === '(') return sequence(')');
    if (c === '"') return quoted('"');
    if (c === "'") {
      const symbol = quoted("'");
      return text.startsWith('::', i) ? annotated() : symbol;
    }
    const token = bare();
    if (text.startsWith('::', i)) return annotated();
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null' || token.startsWith('null.')) return null;
    if (NUMBER.test(token)) {
      const n = Number(token.replaceAll('_', '').replace(/[dD]/, 'e'));
      if (!Number.isNaN(n)) return n;
    }
    return token; // a symbol, or a timestamp kept as its text
  };
  const result = value();
  skipSpace();
  if (i < text.length) fail('more than one value');
  return result;
};

/** The non-empty lines of an item file. */
export const itemLines = (content: string): string[] => content.split(/\r?\n/).filter((l) => l.trim() !== '');
