/**
 * YAML document → plain value plus a map from property path to source position, so that every error found
 * later (on the plain value) can point at the line and column where the value was written.
 *
 * Paths use the flow error notation: `tasks[2].retry.maxAttempt`, `labels["system.label"]`.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, Parser, parseDocument } from 'yaml';
import type { FlowError, SourcePosition } from './types.ts';

/** Positions of one parsed document, by property path. */
export interface SourceMap {
  file: string;
  /** Where the value at a path starts. */
  values: Map<string, SourcePosition>;
  /** Where the key of a map entry starts (for "unknown property" errors). */
  keys: Map<string, SourcePosition>;
  /** The text parsed, to point inside a value (at the tag of a template). */
  source?: string;
}

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Appends a map key to a path: `a.b`, or `a["b.c"]` when the key is not a plain identifier. */
export const childPath = (path: string, key: string | number): string => {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (SIMPLE_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
};

/** The parent path of a path (`tasks[2].retry` → `tasks[2]`), or undefined for the root. */
export const parentPath = (path: string): string | undefined => {
  if (path === '') return undefined;
  const m = /^(.*?)(?:\.[A-Za-z_$][\w$-]*|\[[^\]]*\])$/.exec(path);
  return m ? m[1] : '';
};

/**
 * The best known position for a path: its value, else the nearest ancestor's (values merged in by
 * plugin defaults or computed have no source of their own).
 */
export const positionOf = (map: SourceMap, path: string, preferKey = false): SourcePosition => {
  let p: string | undefined = path;
  while (p !== undefined) {
    const pos = (preferKey ? map.keys.get(p) : undefined) ?? map.values.get(p) ?? map.keys.get(p);
    if (pos) return pos;
    p = parentPath(p);
  }
  return { line: 1, column: 1 };
};

export const errorAt = (map: SourceMap, path: string, message: string, preferKey = false): FlowError => {
  const pos = positionOf(map, path, preferKey);
  return { file: map.file, line: pos.line, column: pos.column, path, message };
};

/** Whether a quoted scalar's source (quotes included) ends with its closing quote. */
const isClosed = (source: string): boolean => {
  const quote = source[0];
  for (let i = 1; i < source.length; i++) {
    const c = source[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && source[i + 1] === "'") i++;
      else return i === source.length - 1;
    }
  }
  return false;
};

/**
 * Where the unclosed quoted string that an error at `pos` is about opens. The YAML parser reports a missing
 * closing quote where it gave up (often the end of the file), far from the mistake: find the quoted scalar
 * in the token stream that is not closed and starts last before `pos`.
 */
const unclosedQuoteStart = (source: string, pos: number): number | undefined => {
  let found: number | undefined;
  const visit = (t: unknown): void => {
    if (!t || typeof t !== 'object') return;
    if (Array.isArray(t)) {
      for (const x of t) visit(x);
      return;
    }
    const tok = t as { type?: string; offset?: number; source?: string };
    if (
      (tok.type === 'double-quoted-scalar' || tok.type === 'single-quoted-scalar') &&
      typeof tok.offset === 'number' &&
      typeof tok.source === 'string' &&
      tok.offset <= pos &&
      !isClosed(tok.source) &&
      (found === undefined || tok.offset > found)
    )
      found = tok.offset;
    for (const v of Object.values(tok)) visit(v);
  };
  for (const token of new Parser().parse(source)) visit(token);
  return found;
};

export interface ParsedYaml {
  value: unknown;
  map: SourceMap;
  errors: FlowError[];
}

/** Parses YAML text; reports syntax errors and duplicate keys (all of them, with positions). */
export const parseYaml = (source: string, file: string): ParsedYaml => {
  const lineCounter = new LineCounter();
  // Duplicate keys are detected by the walk below rather than by `uniqueKeys`, to name the key and its path.
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const map: SourceMap = { file, values: new Map(), keys: new Map(), source };
  const errors: FlowError[] = [];
  const at = (offset: number | undefined): SourcePosition => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  for (const e of doc.errors) {
    const opened = /quote/.test(e.message) ? unclosedQuoteStart(source, e.pos[0]) : undefined;
    const pos = at(opened ?? e.pos[0]);
    const message =
      opened === undefined
        ? `YAML syntax: ${e.message}`
        : `YAML syntax: ${e.message}: the string that starts here is never closed; close it (or escape the quote inside it)`;
    errors.push({ file, line: pos.line, column: pos.column, path: '', message });
  }
  if (errors.length > 0) return { value: undefined, map, errors };

  const walk = (node: Node | null | undefined, path: string): void => {
    if (!node) return;
    if (node.range) map.values.set(path, at(node.range[0]));
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const kp = childPath(path, key);
        const keyPos = at(keyNode?.range?.[0]);
        if (seen.has(key)) {
          errors.push({
            file,
            ...keyPos,
            path: kp,
            message: `Duplicate field '${key}': a key may appear only once in a map; remove or rename one`,
          });
          continue;
        }
        seen.add(key);
        map.keys.set(kp, keyPos);
        walk(pair.value as Node | null, kp);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item as Node | null, childPath(path, i));
      });
    }
    // Aliases: positions inside them fall back to the alias itself (set above).
  };
  walk(doc.contents as Node | null, '');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    errors.push({ file, line: 1, column: 1, path: '', message: `YAML: ${(e as Error).message}` });
  }
  return { value, map, errors };
};
