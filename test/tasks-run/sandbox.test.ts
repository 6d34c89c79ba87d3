/**
 * `sandbox: true` with the real bubblewrap: the script sees the system's programs and its working
 * folder, not the password hashes, home folders or a data folder's encryption key.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDataDir } from '../../src/runtime/data-dir.ts';
import { loadEncryptionKey } from '../../src/secrets/encryption.ts';
import { run as pythonScript } from '../../src/tasks/scripts/python-script.run.ts';
import { run as shellCommands } from '../../src/tasks/scripts/shell-commands.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

const bwrap = ['/usr/bin/bwrap', '/bin/bwrap'].find((p) => existsSync(p));
const bwrapWorks = bwrap !== undefined && spawnSync(bwrap, ['--ro-bind', '/', '/', 'true']).status === 0;
if (!bwrapWorks) console.log('sandbox tests skipped: bubblewrap (bwrap) is missing or cannot run here');

let h: Harness;
// A data folder beside the sources, not under /tmp: the sandbox's /tmp is its own, which would hide it
// whatever else the sandbox binds.
let data: string;
beforeAll(async () => {
  h = await openHarness();
  data = mkdtempSync(join(process.cwd(), '.sandbox-data-'));
  prepareDataDir(data);
  loadEncryptionKey(join(data, 'encryption.key'));
});
afterAll(async () => {
  await h.dispose();
  rmSync(data, { recursive: true, force: true });
});

/** Shell lines setting `$name` to `read` when `command` succeeds in the sandbox, `denied` otherwise. */
const probe = (name: string, command: string) =>
  `if ${command} >/dev/null 2>&1; then ${name}=read; else ${name}=denied; fi`;

describe.skipIf(!bwrapWorks)('sandbox: what a script sees', () => {
  it('cannot read /etc/shadow, home folders or the encryption key; writes its folder; sh and python3 work', async () => {
    const { ctx } = h.context();
    const key = join(data, 'encryption.key');
    const out = await runWith(shellCommands, ctx, {
      sandbox: true,
      warningOnStdErr: false,
      commands: [
        probe('shadow', 'cat /etc/shadow'),
        probe('root', 'ls /root'),
        probe('home', 'ls /home'),
        probe('key', `cat ${key}`),
        probe('data', `ls ${data}`),
        'echo mine > mine.txt && written=yes',
        'py=$(python3 -c "print(6 * 7)")',
        'me=$(id -un)',
        `echo "::{\\"outputs\\":{\\"shadow\\":\\"$shadow\\",\\"root\\":\\"$root\\",\\"home\\":\\"$home\\",\\"key\\":\\"$key\\",\\"data\\":\\"$data\\",\\"written\\":\\"$written\\",\\"py\\":\\"$py\\",\\"me\\":\\"$me\\"}}::"`,
      ],
    });
    expect(out.outputs?.vars).toEqual({
      shadow: 'denied',
      root: 'denied',
      home: 'denied',
      key: 'denied',
      data: 'denied',
      written: 'yes',
      py: '42',
      // User names still resolve (/etc/passwd holds no password hashes).
      me: spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim(),
    });
    expect(readFileSync(join(ctx.workingDir, 'mine.txt'), 'utf8')).toBe('mine\n');
  });

  it('runs a python Script with the Python it can see', async () => {
    const { ctx } = h.context();
    const out = await runWith(pythonScript, ctx, {
      sandbox: true,
      script:
        'import json, os\nprint("::" + json.dumps({"outputs": {"py": 2 ** 5, "cwd": os.getcwd()}}) + "::")',
    });
    expect(out.outputs?.vars).toEqual({ py: 32, cwd: ctx.workingDir });
  });
});
