/**
 * The web UI (`ui/`, built into `ui/dist` at install) served at the root: its files as they are, and
 * `index.html` for every other path that is not the API's, so that the browser's own routes (`/ui/flows`,
 * `/ui/executions/...`) load the app. The files are public: the app signs in through the API, which
 * checks every call.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { Api, RouteModule } from '../context.ts';
import { HttpError } from '../errors.ts';

/**
 * The UI's CSP, looser than the API's `default-src 'self'` in two ways only, for the editor page:
 * Monaco inserts `<style>` elements and style attributes at run time (`style-src 'unsafe-inline'`;
 * scripts stay `'self'` only), and its codicon font and the app's icons may be inlined as `data:` URLs.
 */
export const UI_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
].join('; ');

/** Built files with a content hash in their name (Vite's `assets/`): never change, cached for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Extensions of files a page loads (a missing one is a 404, never the app's page). */
const ASSET = /^\.(js|mjs|css|map|json|wasm|woff2?|ttf|png|jpe?g|gif|svg|ico|webp|txt)$/i;

/**
 * Where the built UI is: `BATON_UI_DIR`, else `ui/dist` of the package this module belongs to, found by
 * going up from this file (`dist/` when bundled, `src/server/routes/` when run from the sources).
 */
export const uiFolder = (): string => {
  if (process.env.BATON_UI_DIR) return resolve(process.env.BATON_UI_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'ui', 'dist');
    dir = dirname(dir);
  }
  return resolve('ui', 'dist');
};

const NOT_BUILT = (folder: string) =>
  `The Baton web UI is not built (no ${join(folder, 'index.html')}).\n` +
  'Build it in the Baton folder with `npm run build:ui` (`npm install` does it too), then reload.\n' +
  'The API is served under /api/v1 meanwhile.\n';

const isApiPath = (path: string): boolean =>
  path === 'api' || path.startsWith('api/') || path.startsWith('api?');

/** Whether `path` (from the URL, relative) is a file inside `root`; `..` can never leave it. */
const fileIn = (root: string, path: string): boolean => {
  const full = resolve(root, path);
  if (full !== root && !full.startsWith(root + sep)) return false;
  try {
    return statSync(full).isFile();
  } catch {
    return false;
  }
};

export const uiRoutes: RouteModule = (app) => {
  const root = uiFolder();
  void app.register(async (scope: Api) => {
    // `serve: false`: only `reply.sendFile`; the routes below choose the file and its cache headers.
    await scope.register(fastifyStatic, { root, serve: false });
    // Set after the server's own security headers (route hooks run after the app's): the UI's CSP.
    // An unknown API path passes through `/*` to the 404 handler: it keeps the API's CSP.
    scope.addHook('onSend', async (req, reply, payload) => {
      if (!isApiPath(req.url.slice(1))) reply.header('content-security-policy', UI_CSP);
      return payload;
    });

    const sendIndex = (reply: FastifyReply) => {
      if (!fileIn(root, 'index.html'))
        return reply.status(404).type('text/plain; charset=utf-8').send(NOT_BUILT(root));
      // The page names the current hashed assets: always checked again.
      return reply.sendFile('index.html', { cacheControl: false }).header('cache-control', 'no-cache');
    };

    const options = { config: { access: 'public' as const }, schema: { hide: true } };
    scope.get('/', options, async (_req, reply) => sendIndex(reply));
    scope.get<{ Params: { '*': string } }>('/*', options, async (req, reply) => {
      const path = req.params['*'];
      // An unknown API path is the API's 404, never the app's page.
      if (isApiPath(path)) return reply.callNotFound();
      // The app's own pages: whatever their last segment looks like (`/ui/flows/company.team`).
      if (path === 'ui' || path.startsWith('ui/')) return sendIndex(reply);
      if (path !== 'index.html' && fileIn(root, path)) {
        const hashed = path.startsWith('assets/');
        return reply
          .sendFile(path, { cacheControl: false })
          .header('cache-control', hashed ? IMMUTABLE : 'no-cache');
      }
      // A missing asset is a 404, not the app: a stale page asking for a script of an older build must
      // fail plainly rather than get HTML as script. Other paths (`/ui/flows/company.team`) are the app's.
      if (path.startsWith('assets/') || ASSET.test(extname(path)))
        throw new HttpError(404, `no file /${path}`, { code: 'NOT_FOUND' });
      return sendIndex(reply);
    });
  });
};
