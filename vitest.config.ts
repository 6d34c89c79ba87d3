import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // The engine, the CLI and the server (over the built bundle), and the web UI end to end.
        test: {
          name: 'node',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          pool: 'forks',
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        // The web UI's components, in a simulated DOM.
        plugins: [react()],
        test: {
          name: 'ui',
          root: 'ui',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          testTimeout: 15_000,
        },
      },
    ],
  },
});
