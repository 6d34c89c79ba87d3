/**
 * Several flows in one text, separated by `---` lines (Kestra's multi-document bodies: validate, update
 * a namespace). Each document keeps the line it starts on, so that errors point into the whole text.
 */

export interface YamlDocument {
  /** The document's text, without the separators and the blank lines around it, ending with a newline. */
  source: string;
  /** The line (from 1) of the whole text on which the document's first line is. */
  line: number;
}

/** A separator line: `---`, optionally followed by spaces or a comment. */
const SEPARATOR = /^---[ \t]*(#.*)?$/;

export const splitYamlDocuments = (text: string): YamlDocument[] => {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const documents: YamlDocument[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !SEPARATOR.test(lines[i] ?? '')) continue;
    let first = start;
    while (first < i && (lines[first] ?? '').trim() === '') first++;
    const chunk = lines.slice(first, i).join('\n').trimEnd();
    if (chunk !== '') documents.push({ source: `${chunk}\n`, line: first + 1 });
    start = i + 1;
  }
  return documents;
};
