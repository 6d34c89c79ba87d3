/**
 * The production bundle of the `baton` command (dist/). Running the TypeScript sources directly works
 * too, but bundling saves Node the per-file type stripping and module resolution at every start, which
 * is most of a cold start. Subcommands and task implementations stay separate chunks, loaded on demand.
 */
import { defineConfig, type Plugin } from 'rolldown';
import { precompileValidators } from './src/flow/precompile.ts';

/**
 * The ajv validators of the flow document, the inputs and the built-in types, precompiled into
 * dist/validators/ (see src/flow/precompiled.ts for why).
 */
const validators: Plugin = {
  name: 'baton-validators',
  generateBundle() {
    for (const [name, source] of Object.entries(precompileValidators()))
      this.emitFile({ type: 'asset', fileName: `validators/${name}.cjs`, source });
  },
};

export default defineConfig({
  input: { main: 'src/cli/main.ts', index: 'src/index.ts', 'jq-worker': 'src/expression/jq-worker.ts' },
  platform: 'node',
  // Loaded at run time by path (a wasm file, the time-zone database): left to Node's resolution.
  // `@js-joda/core` stays external too: `@js-joda/timezone` registers its zones into the copy it imports
  // from node_modules, so a bundled copy would never see them ("Unknown time zone").
  external: ['jq-wasm', '@js-joda/core', '@js-joda/timezone'],
  plugins: [validators],
  // Generating the validators is most of the build (seconds, by design): no warning about it each time.
  checks: { bundlerTimings: false },
  // cleanDir: chunk names carry a content hash; without it, every build would leave the old chunks behind.
  output: {
    dir: 'dist',
    cleanDir: true,
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  },
});
