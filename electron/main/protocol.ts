/**
 * The `app://watchdesk/` scheme: the renderer build served from disk with the CSP header, instead
 * of `file://` (which would give every local file the page's origin).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { CSP } from '../../shared/transport';

export const APP_SCHEME = 'app';
export const APP_HOST = 'watchdesk';
/** Origin of the app's pages. (Node's URL reports `null` as the origin of custom schemes.) */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** True when `url` is a page or resource of the app itself (`app://watchdesk/...`). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Registers `app:` as a standard, secure scheme. Must run before the app is ready. CORS stays
 * off (`corsEnabled` unset), so no other origin can read the app's files.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function respond(status: number, body: Uint8Array | string, type: string, method: string): Response {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return new Response(method === 'HEAD' ? null : new Uint8Array(bytes), {
    status,
    headers: {
      'content-type': type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    },
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Makes the `app:` request handler over the renderer build in `rendererDir`. It serves only GET
 * and HEAD for host `watchdesk`, refuses any path that resolves (after percent-decoding and
 * symlinks) outside `rendererDir`, answers unknown extension-less paths with `index.html` (client
 * routes) and everything else missing with 404. Every response carries the CSP header.
 */
export function createAppProtocolHandler(rendererDir: string): (request: { url: string; method: string }) => Promise<Response> {
  const root = resolve(rendererDir);
  const notFound = (m: string): Response => respond(404, 'not found', 'text/plain; charset=utf-8', m);
  return async (request) => {
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return respond(405, 'method not allowed', 'text/plain; charset=utf-8', method);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(400, 'bad request', 'text/plain; charset=utf-8', method);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound(method);
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return respond(400, 'bad request', 'text/plain; charset=utf-8', method);
    }
    if (rel.includes('\0')) return respond(400, 'bad request', 'text/plain; charset=utf-8', method);
    rel = rel.replace(/^[/\\]+/, '');
    let file = resolve(root, rel || 'index.html');
    if (!file.startsWith(root + sep)) return notFound(method);
    if (!(await isFile(file))) {
      if (extname(file) !== '') return notFound(method);
      file = resolve(root, 'index.html');
    }
    try {
      const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
      if (!realFile.startsWith(realRoot + sep)) return notFound(method);
      const body = await readFile(realFile);
      return respond(200, body, TYPES[extname(realFile).toLowerCase()] ?? 'application/octet-stream', method);
    } catch {
      return notFound(method);
    }
  };
}

/** Serves the renderer build on `app://watchdesk/` (call once the app is ready). */
export function serveApp(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}
