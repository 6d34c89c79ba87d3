/**
 * The flow source editor: Monaco on a YAML model that the flow schema applies to, the server's
 * problems as markers (line and column), Ctrl/Cmd+S to save. Loaded lazily with the editor page.
 */
import { useEffect, useRef, useState } from 'react';
import type { FlowProblem } from '../api/types.ts';
import type { Theme } from '../theme.ts';
import { FLOW_MODEL_SUFFIX, loadMonaco, type monaco } from './monaco.ts';

export interface EditorHandle {
  reveal(line: number, column: number): void;
}

export interface YamlEditorProps {
  value: string;
  onChange: (value: string) => void;
  problems: readonly FlowProblem[];
  readOnly: boolean;
  theme: Theme;
  onSave?: () => void;
  onReady?: (handle: EditorHandle) => void;
  /** The cursor's offset in the text, as it moves (the task form follows it). */
  onCursor?: (offset: number) => void;
  /** Names the model (`company.team/hello`): Monaco keeps one per name. */
  name: string;
}

let models = 0;

/** The editor once made (Monaco loads lazily), with the Monaco module it came from. */
interface Made {
  editor: monaco.editor.IStandaloneCodeEditor;
  m: typeof monaco;
}

const YamlEditor = ({
  value,
  onChange,
  problems,
  readOnly,
  theme,
  onSave,
  onReady,
  onCursor,
  name,
}: YamlEditorProps) => {
  const host = useRef<HTMLDivElement>(null);
  const [made, setMade] = useState<Made>();
  // The latest props, for listeners registered once and for the editor's first state.
  const latest = useRef({ onChange, onSave, onReady, onCursor, value, readOnly, theme });
  latest.current = { onChange, onSave, onReady, onCursor, value, readOnly, theme };

  useEffect(() => {
    let disposed = false;
    let created: monaco.editor.IStandaloneCodeEditor | undefined;
    void loadMonaco().then((m) => {
      if (disposed || !host.current) return;
      models += 1;
      const start = latest.current;
      const uri = m.Uri.parse(`file:///${models}/${name.replace(/[^\w.-]/g, '_')}${FLOW_MODEL_SUFFIX}`);
      const model = m.editor.createModel(start.value, 'yaml', uri);
      const editor = m.editor.create(host.current, {
        model,
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 13,
        tabSize: 2,
        scrollBeyondLastLine: false,
        // Expressions live in YAML strings: suggest there too (`{{ inputs. }}`).
        quickSuggestions: { other: true, strings: true, comments: false },
        readOnly: start.readOnly,
        theme: start.theme === 'dark' ? 'vs-dark' : 'vs',
        // Ctrl+M then Tab leaves the editor (Monaco's tab trapping, as in VS Code): said in the page.
        ariaLabel: 'Flow source (YAML). Press Ctrl+M, then Tab, to move the focus out of the editor.',
      });
      created = editor;
      editor.onDidChangeModelContent(() => latest.current.onChange(model.getValue()));
      editor.onDidChangeCursorPosition((e) => latest.current.onCursor?.(model.getOffsetAt(e.position)));
      editor.addCommand(m.KeyMod.CtrlCmd | m.KeyCode.KeyS, () => latest.current.onSave?.());
      start.onReady?.({
        reveal(line, column) {
          editor.revealLineInCenter(line);
          editor.setPosition({ lineNumber: line, column: Math.max(1, column) });
          editor.focus();
        },
      });
      setMade({ editor, m });
    });
    return () => {
      disposed = true;
      const model = created?.getModel();
      created?.dispose();
      model?.dispose();
      setMade(undefined);
    };
  }, [name]);

  // A value set from outside (a restored revision, a reload) replaces the text; typing does not come back here.
  useEffect(() => {
    const model = made?.editor.getModel();
    if (model && model.getValue() !== value) {
      // The task form writes here too: the cursor stays where it was (setValue would send it to the top).
      const position = made?.editor.getPosition();
      model.setValue(value);
      if (position) made?.editor.setPosition(position);
    }
  }, [made, value]);

  useEffect(() => {
    made?.editor.updateOptions({ readOnly });
  }, [made, readOnly]);

  useEffect(() => {
    made?.m.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [made, theme]);

  useEffect(() => {
    const model = made?.editor.getModel();
    if (!made || !model) return;
    const { m } = made;
    m.editor.setModelMarkers(
      model,
      'baton',
      problems.map((p) => {
        const line = Math.min(Math.max(1, p.line), model.getLineCount());
        return {
          severity: m.MarkerSeverity.Error,
          message: p.path ? `${p.path}: ${p.message}` : p.message,
          startLineNumber: line,
          startColumn: Math.max(1, p.column),
          endLineNumber: line,
          endColumn: model.getLineMaxColumn(line),
          source: 'Baton',
        };
      }),
    );
  }, [made, problems]);

  return <div ref={host} className="monaco-host" data-testid="monaco-host" />;
};

export default YamlEditor;
