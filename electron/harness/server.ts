/**
 * The browser harness (DESIGN.md section 3): serves the built renderer and the same handler table
 * over loopback HTTP, for development and the end-to-end tests where no Electron runtime exists.
 * Not a deployment mode: it listens on 127.0.0.1 only and every API call must carry the random
 * per-launch token, which the printed URL hands to the page in its fragment. Every request must be
 * addressed to `127.0.0.1:<port>` (its Host header: a page on another name that resolves to
 * 127.0.0.1, DNS rebinding, is refused with 403), an API call that says where it comes from
 * (Origin) must come from the harness's own origin (403 otherwise), and a malformed URL is
 * answered 400.
 *
 * Usage: tsx electron/harness/server.ts [--db PATH] [--port N] [--renderer DIR]
 * Prints one JSON line `{"url": ..., "port": ..., "db": ...}` on stdout when ready.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { ApiRequest } from '../../shared/contract';
import { reason, reasonText, reasonView, type Reason } from '../../shared/reasons';
import { CSP, HARNESS_TOKEN_HEADER } from '../../shared/transport';
import { EngineHost } from '../core/host/engine-host';
import { defaultDbPath } from '../core/paths';

/** Largest request body accepted, in bytes. */
const MAX_BODY = 110 * 1024 * 1024;


const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
};

export interface HarnessOptions {
  dbPath: string;
  port?: number;
  rendererDir?: string;
}

export interface Harness {
  url: string;
  port: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        fail(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/** An API refusal as the client reads it: `{ ok: false, error }` with the reason's code, parameters and text. */
function apiRefusal(res: ServerResponse, status: number, code: 'unauthenticated' | 'invalid_request', r: Reason): void {
  send(res, status, JSON.stringify({ ok: false, error: { code, ...reasonView(r) } }), 'application/json');
}

/**
 * The request's path, percent-decoded, or null when the URL is malformed (not an origin-form path,
 * a bad percent escape, a NUL byte).
 */
export function requestPath(rawUrl: string | undefined): string | null {
  if (!rawUrl?.startsWith('/') || rawUrl.startsWith('//')) return null;
  try {
    const path = decodeURIComponent(new URL(rawUrl, 'http://127.0.0.1').pathname);
    return path.includes('\0') ? null : path;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
  res.end(body);
}

/** Starts the harness on 127.0.0.1; resolves when it listens. */
export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const rendererDir = resolve(opts.rendererDir ?? join(import.meta.dirname, '../../out/renderer'));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`no renderer build at ${rendererDir}: run "npm run build" first`);
  }
  mkdirSync(dirname(resolve(opts.dbPath)), { recursive: true });
  const engine = await EngineHost.start({ dbPath: resolve(opts.dbPath), log: (l) => process.stderr.write(`${l}\n`) });
  const token = randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);

  // Known once the server listens: the one Host and Origin it answers.
  let self = { host: '', origin: '' };
  const server = createServer((req, res) => void serve(req, res));
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own name as Host.
      if (req.headers.host !== self.host) return send(res, 403, reasonText(reason('auth.foreignHost')), 'text/plain; charset=utf-8');
      const path = requestPath(req.url);
      if (path === null) return send(res, 400, reasonText(reason('request.badUrl')), 'text/plain; charset=utf-8');
      if (path === '/api') {
        if (req.method !== 'POST') return send(res, 405, '{}', 'application/json');
        const origin = req.headers.origin;
        if (origin !== undefined && origin !== self.origin) return apiRefusal(res, 403, 'unauthenticated', reason('auth.foreignOrigin'));
        const given = Buffer.from(String(req.headers[HARNESS_TOKEN_HEADER] ?? ''));
        if (given.length !== tokenBuf.length || !timingSafeEqual(given, tokenBuf)) return apiRefusal(res, 403, 'unauthenticated', reason('auth.badHarnessToken'));
        let envelope: ApiRequest;
        try {
          envelope = JSON.parse((await readBody(req)).toString('utf8')) as ApiRequest;
        } catch {
          return apiRefusal(res, 400, 'invalid_request', reason('request.notJson'));
        }
        const response = await engine.handle(envelope);
        return send(res, 200, JSON.stringify(response), 'application/json');
      }
      if (req.method !== 'GET') return send(res, 405, 'method not allowed', 'text/plain');
      const rel = normalize(path).replace(/^([/\\])+/, '');
      let file = resolve(rendererDir, rel || 'index.html');
      if (!file.startsWith(rendererDir + sep) && file !== rendererDir) return send(res, 404, 'not found', 'text/plain');
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
      return send(res, 200, readFileSync(file), TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      if (!res.headersSent) send(res, 500, 'internal error', 'text/plain');
    }
  }
  await new Promise<void>((ok) => server.listen(opts.port ?? 0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  self = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };
  return {
    url: `http://127.0.0.1:${port}/#harness=${token}`,
    port,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => void engine.close().then(ok));
      }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: { db: { type: 'string' }, port: { type: 'string' }, renderer: { type: 'string' } },
  });
  const dbPath = values.db ?? process.env.WATCHDESK_DB ?? defaultDbPath();
  const h = await startHarness({ dbPath, port: values.port ? Number(values.port) : 5174, rendererDir: values.renderer });
  process.stdout.write(`${JSON.stringify({ url: h.url, port: h.port, db: resolve(dbPath) })}\n`);
  process.stderr.write(`Watchdesk harness (development only) at ${h.url}\n`);
  const stop = (): void => void h.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
