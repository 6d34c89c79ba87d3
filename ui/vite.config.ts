/**
 * The web UI's build (`npm run build:ui` → ui/dist, served by `baton server` at `/`). Pages beyond the
 * flows list are separate chunks loaded when visited; Monaco and its workers only on the editor page.
 * `npm run dev:ui` serves it with hot reload, sending `/api` to a `baton server` on port 8080.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco is one large chunk by nature, loaded by the editor page only; the initial bundle is
    // measured by the tests, not by this warning.
    chunkSizeWarningLimit: 5000,
    reportCompressedSize: false,
    // Rolldown's note on slow plugins (Monaco's CSS) is noise at every install.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  // Monaco's workers import modules: ES workers, not classic scripts.
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
