import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as nodeScript } from '../../src/tasks/scripts/node-script.run.ts';
import { run as pythonScript } from '../../src/tasks/scripts/python-script.run.ts';
import { run as shellCommands } from '../../src/tasks/scripts/shell-commands.run.ts';
import { run as shellScript } from '../../src/tasks/scripts/shell-script.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h.dispose());

/** Running (a zombie waiting for init to reap it counts as gone: it no longer runs). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('scripts: shell Commands', () => {
  it('reads outputs, metrics and logs from the ::{...}:: protocol', async () => {
    const { ctx, logs } = h.context();
    const out = await runWith(shellCommands, ctx, {
      commands: [
        'echo plain line',
        `echo '::{"outputs":{"a":1,"b":"x"}}::'`,
        `echo '::{"outputs":{"c":true},"metrics":[{"name":"rows","type":"counter","value":7}]}::'`,
        `echo '::{"logs":[{"level":"ERROR","message":"from script"}]}::'`,
      ],
    });
    expect(out).toEqual({ state: 'SUCCESS', outputs: { vars: { a: 1, b: 'x', c: true }, exitCode: 0 } });
    const entries = logs();
    expect(entries).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'plain line' }));
    expect(entries).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'from script' }));
    expect(ctx.logger).toBeDefined();
  });

  it('fails with the exit code', async () => {
    const { ctx } = h.context();
    await expect(runWith(shellCommands, ctx, { commands: ['echo before', 'exit 3'] })).rejects.toThrow(
      'Command failed with exit code 3',
    );
  });

  it('passes env and beforeCommands, runs in the working dir, hides worker secrets', async () => {
    process.env.SECRET_HIDDEN = Buffer.from('x').toString('base64');
    const { ctx } = h.context();
    const out = await runWith(shellCommands, ctx, {
      env: { GREETING: 'hi', N: 3 },
      beforeCommands: ['export FROM_BEFORE=yes'],
      commands: [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a JS template
        'echo "::{\\"outputs\\":{\\"g\\":\\"$GREETING$N\\",\\"b\\":\\"$FROM_BEFORE\\",\\"pwd\\":\\"$(pwd)\\",\\"s\\":\\"${SECRET_HIDDEN:-none}\\"}}::"',
      ],
    });
    delete process.env.SECRET_HIDDEN;
    expect(out.outputs?.vars).toEqual({ g: 'hi3', b: 'yes', pwd: ctx.workingDir, s: 'none' });
  });

  it('stderr output sets WARNING unless warningOnStdErr is false', async () => {
    const { ctx, logs } = h.context();
    const warned = await runWith(shellCommands, ctx, { commands: ['echo oops >&2'] });
    expect(warned.state).toBe('WARNING');
    expect(logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'oops' }));
    const quiet = await runWith(shellCommands, ctx, { commands: ['echo oops >&2'], warningOnStdErr: false });
    expect(quiet.state).toBe('SUCCESS');
  });

  it('inputFiles are written (content or kestra:/// uri) and outputFiles saved to storage', async () => {
    const { ctx } = h.context();
    const uri = await h.storage.put(
      ['company.team', 'hello', 'executions', 'exec1', 'seed.txt'],
      'from storage',
    );
    const out = await runWith(shellCommands, ctx, {
      inputFiles: { 'in/a.txt': 'inline', 'b.txt': uri },
      outputFiles: ['*.out', 'sub/*.csv'],
      commands: [
        'cat in/a.txt b.txt > result.out',
        'mkdir sub',
        'echo 1,2 > sub/x.csv',
        'echo no > skip.txt',
      ],
    });
    const files = out.outputs?.outputFiles as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual(['result.out', 'sub/x.csv']);
    expect((await h.storage.get(files['result.out']!)).toString()).toBe('inlinefrom storage');
    await expect(
      runWith(shellCommands, h.context().ctx, { inputFiles: { '../escape.txt': 'x' }, commands: ['true'] }),
    ).rejects.toThrow('outside the working directory');
  });

  it('an abort (timeout, kill) kills the whole process tree', async () => {
    const controller = new AbortController();
    const { ctx } = h.context({ signal: controller.signal });
    const pidFile = join(ctx.workingDir, 'sleep.pid');
    const p = runWith(shellCommands, ctx, { commands: [`sleep 30 & echo $! > ${pidFile}; wait`] });
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') {
      await new Promise((r) => setTimeout(r, 20)); // polling for the child to write its pid
    }
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(alive(pid)).toBe(true);
    controller.abort(new Error('Timeout after PT1S'));
    await expect(p).rejects.toThrow('Timeout after PT1S');
    expect(alive(pid)).toBe(false);
  });
});

describe('scripts: Script variants', () => {
  it('shell Script runs the script file', async () => {
    const { ctx } = h.context();
    const out = await runWith(shellScript, ctx, { script: `X=4\necho "::{\\"outputs\\":{\\"x\\":$X}}::"` });
    expect(out.outputs?.vars).toEqual({ x: 4 });
  });
  it('node Script', async () => {
    const { ctx } = h.context();
    const out = await runWith(nodeScript, ctx, {
      script: 'console.log("::" + JSON.stringify({ outputs: { sum: 1 + 2 } }) + "::")',
    });
    expect(out.outputs?.vars).toEqual({ sum: 3 });
  });
  it.skipIf(spawnSync('python', ['--version']).status !== 0)('python Script', async () => {
    const { ctx } = h.context();
    const out = await runWith(pythonScript, ctx, {
      script: 'import json\nprint("::" + json.dumps({"outputs": {"py": 2 ** 5}}) + "::")',
    });
    expect(out.outputs?.vars).toEqual({ py: 32 });
  });
});

const bwrapWorks =
  existsSync('/usr/bin/bwrap') && spawnSync('/usr/bin/bwrap', ['--ro-bind', '/', '/', 'true']).status === 0;

describe.skipIf(!bwrapWorks)('scripts: sandbox (bubblewrap)', () => {
  it('writes nothing outside its working dir on the real file system, can write inside, has no network', async () => {
    const { ctx } = h.context();
    // Outside on the real file system (read-only in the sandbox), and in the temp folder (a private tmpfs there).
    const outside = join(process.cwd(), `.sandbox-escape-${process.pid}`);
    const outsideTmp = join(h.dir, 'escaped.txt');
    const out = await runWith(shellCommands, ctx, {
      sandbox: true,
      warningOnStdErr: false,
      commands: [
        `if echo x > ${outside}; then echo '::{"outputs":{"outside":"written"}}::'; else echo '::{"outputs":{"outside":"refused"}}::'; fi`,
        `echo x > ${outsideTmp} || true`,
        `echo ok > inside.txt && echo '::{"outputs":{"inside":"written"}}::'`,
        `if node -e "require('net').connect(80,'1.1.1.1').on('error',()=>process.exit(1)).on('connect',()=>process.exit(0))"; then echo '::{"outputs":{"net":"yes"}}::'; else echo '::{"outputs":{"net":"no"}}::'; fi`,
      ],
    });
    // Inside the sandbox the path may be writable (a private tmpfs under the bound working folder's
    // parents): what matters is that nothing reached the real file system.
    expect(out.outputs?.vars).toMatchObject({ inside: 'written', net: 'no' });
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(outsideTmp)).toBe(false);
    expect(readFileSync(join(ctx.workingDir, 'inside.txt'), 'utf8')).toBe('ok\n');
  });
});
