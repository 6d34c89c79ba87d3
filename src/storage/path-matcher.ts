/**
 * Kestra's file patterns (its `PathMatcherPredicate`), pure: `glob:` and `regex:` prefixes as Java's
 * `PathMatcher`, and a bare glob starting with a word character matched at any depth (`data.csv` is
 * `**\/data.csv`). Paths are absolute-like: `/folder/file.txt`.
 *
 * Java globs, not shell globs: `*` and `?` stay within one folder, `**` crosses folders anywhere in a
 * pattern (`**input.txt` matches `/a/b/input.txt`), `{a,b}` is a choice, `[...]` a character class.
 */

const escapeRegex = (c: string): string => (/[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);

/** A Java glob as a regular expression source (anchored by the caller). */
export const globToRegex = (glob: string): string => {
  let out = '';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      inGroup = true;
      out += '(?:';
    } else if (c === '}' && inGroup) {
      inGroup = false;
      out += ')';
    } else if (c === ',' && inGroup) out += '|';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += escapeRegex(glob[++i]!);
    else out += escapeRegex(c);
  }
  return out;
};

/** Whether `path` (`/a/b.txt`) matches one of `patterns`. `base` chroots bare patterns (e.g. `/work/dir`). */
export const pathMatcher = (patterns: readonly string[], base?: string): ((path: string) => boolean) => {
  const regexes = patterns.map((p) => {
    if (p.startsWith('regex:')) return new RegExp(`^(?:${p.slice('regex:'.length)})$`);
    if (p.startsWith('glob:')) return new RegExp(`^${globToRegex(p.slice('glob:'.length))}$`);
    const glob =
      base !== undefined ? `${base}${p.startsWith('/') ? p : `/${p}`}` : /^\w/.test(p) ? `**/${p}` : p;
    return new RegExp(`^${globToRegex(glob)}$`);
  });
  return (path) => regexes.some((r) => r.test(path));
};

/** Kestra's `checkLeadingSlash`: namespace file paths always start with `/`. */
export const withLeadingSlash = (path: string): string => (path.startsWith('/') ? path : `/${path}`);
