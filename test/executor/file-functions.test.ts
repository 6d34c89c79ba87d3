/** fileExists(), isFileEmpty(), fileSize() and fromIon(read()) on a real engine's internal storage. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => engine?.dispose());

describe('file functions in task properties', () => {
  it('see the files of internal storage', async () => {
    await engine.deploy(`id: files
namespace: fn
tasks:
  - id: rows
    type: io.kestra.plugin.core.storage.Write
    content: "{id:1}\\n{id:2}\\n"
  - id: empty
    type: io.kestra.plugin.core.storage.Write
    content: ""
    extension: .txt
  - id: check
    type: io.kestra.plugin.core.debug.Return
    format: >-
      {{ fileExists(outputs.rows.uri) }}
      {{ fileExists(outputs.rows.uri ~ '.nope') }}
      {{ isFileEmpty(outputs.empty.uri) }}
      {{ isFileEmpty(outputs.rows.uri) }}
      {{ fromIon(read(outputs.rows.uri), allRows=true) | length }}
`);
    const done = await engine.run('fn', 'files');
    expect(done.state.current).toBe('SUCCESS');
    const check = done.taskRuns.find((tr) => tr.taskId === 'check');
    expect(check?.outputs?.value).toBe('true false true false 2');
  });
});
