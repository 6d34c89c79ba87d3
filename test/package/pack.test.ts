/**
 * What users install is what is tested: the npm package is packed, installed into an empty project from
 * the tarball, and used there as a user would — its `baton` command runs a flow, a script imports the
 * public API, and TypeScript compiles against its type declarations.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'baton-pack-'));
const project = join(work, 'project');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sh = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
};

let files: string[] = [];

beforeAll(() => {
  // The package as `npm pack` would make it from this checkout, staged so that building its type
  // declarations never touches the dist/ that the other tests run (vitest's global setup built it).
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const f of ['package.json', 'README.md', 'bin', 'dist'])
    cpSync(join(repo, f), join(stage, f), { recursive: true });
  sh(
    process.execPath,
    [
      join(repo, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      join(stage, 'types'),
    ],
    repo,
  );
  const listing = sh('npm', ['pack', stage, '--ignore-scripts', '--json', '--pack-destination', work], work);
  const packed = JSON.parse(listing) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path);
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'uses-baton', private: true, type: 'module' }),
  );
  sh(
    'npm',
    ['install', join(work, packed[0]!.filename), '--no-audit', '--no-fund', '--ignore-scripts'],
    project,
  );
}, 300_000);

describe('the npm package', () => {
  it('ships the bundle, the launcher and the type declarations, not the sources or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining(['bin/baton.js', 'dist/main.js', 'dist/index.js', 'types/index.d.ts']),
    );
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('installs a baton command that runs a flow', () => {
    writeFileSync(
      join(project, 'hello.yaml'),
      "id: hello\nnamespace: pkg\ntasks:\n  - id: say\n    type: log\n    message: \"{{ '2026-01-01T00:00:00Z' | date('HH:mm', timeZone='Asia/Tokyo') }}\"\n",
    );
    const bin = join(project, 'node_modules/baton/bin/baton.js');
    const r = spawnSync(process.execPath, [bin, 'run', 'hello.yaml', '--data', 'data'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/execution \S+ SUCCESS/);
    const logs = spawnSync(process.execPath, [bin, 'executions', 'list', '--data', 'data'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(logs.stdout).toContain('pkg.hello');
  });

  it('exports the public API to a program', () => {
    writeFileSync(
      join(project, 'embed.mjs'),
      `import { createBaton, defineTask } from 'baton';
const shout = defineTask({
  type: 'com.example.Shout',
  properties: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  run: (ctx, props) => ({ outputs: { loud: props.text.toUpperCase() } }),
});
await using baton = await createBaton({ data: 'embed-data', tasks: [shout] });
await baton.deploy('id: f\\nnamespace: pkg\\ntasks:\\n  - id: s\\n    type: com.example.Shout\\n    text: hi\\n');
const e = await baton.run('pkg', 'f');
console.log(e.state.current, e.taskRuns[0].outputs.loud);
`,
    );
    const r = spawnSync(process.execPath, ['embed.mjs'], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('SUCCESS HI');
  });

  it('type-checks a TypeScript program against the declarations', () => {
    // A TypeScript user on Node has Node's types installed: lend them the checkout's copy.
    mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
    // Unless a dependency brought them already (mqtt and mysql2 do).
    if (!existsSync(join(project, 'node_modules/@types/node')))
      symlinkSync(join(repo, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'));
    writeFileSync(
      join(project, 'typed.ts'),
      `import { createBaton, type Execution, FlowValidationError } from 'baton';
export const main = async (): Promise<Execution> => {
  const baton = await createBaton({ data: 'd' });
  try {
    return await baton.run('pkg', 'f', { inputs: { n: 1 } });
  } catch (e) {
    if (e instanceof FlowValidationError) console.log(e.errors[0]?.line);
    throw e;
  } finally {
    await baton.stop();
  }
};
// @ts-expect-error: run() takes a namespace and a flow id
export const wrong = (b: Awaited<ReturnType<typeof createBaton>>) => b.run(42);
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2023',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          lib: ['es2023', 'esnext.disposable'],
          types: ['node'],
        },
        files: ['typed.ts'],
      }),
    );
    const r = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(readdirSync(join(project, 'node_modules/baton/types'))).toContain('index.d.ts');
  });
});
