/**
 * Monaco's editor with its editing features (`edcore.main`) and the YAML syntax only: the package's main
 * entry would add every language and the CSS, HTML, JSON and TypeScript services, whose workers alone
 * weigh 9 MB.
 */
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';

export * from 'monaco-editor/esm/vs/editor/editor.api.js';
