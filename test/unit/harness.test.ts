/**
 * The browser harness's front door (issue 15, item 12): a malformed URL is answered 400 (it was
 * 500), a request addressed to another host name is refused 403 (DNS rebinding), an API call from
 * a foreign page (Origin) is refused 403, and the per-launch token is still required. Raw requests
 * with node:http, so that the Host and Origin headers are exactly what a browser or an attacker
 * would send.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestPath, startHarness, type Harness } from '../../electron/harness/server';
import { HARNESS_TOKEN_HEADER } from '../../shared/transport';
import { tempDir } from './helpers';

const running: Harness[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

/** A harness on a free port over a made-up renderer build (one index.html). */
async function harness(): Promise<{ h: Harness; token: string; host: string; origin: string }> {
  const dir = tempDir();
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>test desk</title>');
  const h = await startHarness({ dbPath: join(dir, 'db', 'watchdesk.db'), port: 0, rendererDir: renderer });
  running.push(h);
  const token = new URL(h.url).hash.replace('#harness=', '');
  return { h, token, host: `127.0.0.1:${h.port}`, origin: `http://127.0.0.1:${h.port}` };
}

/** One raw request: `headers.host` replaces the Host node would send. */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

const STATUS = JSON.stringify({ method: 'app.status', payload: {} });

describe('harness: malformed URLs, Host and Origin', () => {
  it('answers 400 to a malformed path (it was 500), for the page and for the API', async () => {
    const { h, host } = await harness();
    for (const path of ['/%E0%A4%A', '/%', '/a%ZZb', '/%00', '/%C0%AF']) {
      const r = await raw(h.port, 'GET', path, { host });
      expect(r.status, path).toBe(400);
      expect(r.body).toBe('the request URL is malformed');
    }
    expect((await raw(h.port, 'POST', '/api%', { host, 'content-type': 'application/json' }, STATUS)).status).toBe(400);
    // The page itself still loads; an unknown path falls back to it (the renderer routes).
    expect(await raw(h.port, 'GET', '/', { host })).toMatchObject({ status: 200, body: expect.stringContaining('test desk') as unknown });
    expect((await raw(h.port, 'GET', '/screening/x%20y', { host })).status).toBe(200);
  });

  it('refuses with 403 a request addressed to another host name (DNS rebinding) or without Host, page and API alike', async () => {
    const { h, token } = await harness();
    for (const host of ['evil.example:' + h.port, `localhost:${h.port}`, '127.0.0.1', `127.0.0.1:${h.port + 1}`, '']) {
      const page = await raw(h.port, 'GET', '/', { host });
      expect(page.status, host).toBe(403);
      expect(page.body).not.toContain('test desk');
      const api = await raw(h.port, 'POST', '/api', { host, [HARNESS_TOKEN_HEADER]: token, 'content-type': 'application/json' }, STATUS);
      expect(api.status, host).toBe(403);
    }
    // No Host header at all: node's server refuses an HTTP/1.1 request without one itself (400).
    const none = await raw(h.port, 'GET', '/', {});
    expect(none.status).toBe(400);
    expect(none.body).not.toContain('test desk');
  });

  it('refuses an API call from a foreign Origin with 403, even with the token; its own origin and no Origin are answered', async () => {
    const { h, token, host, origin } = await harness();
    const call = (headers: Record<string, string>) => raw(h.port, 'POST', '/api', { host, 'content-type': 'application/json', ...headers }, STATUS);
    for (const foreign of ['http://evil.example', `http://localhost:${h.port}`, `http://127.0.0.1:${h.port + 1}`, 'null']) {
      const r = await call({ origin: foreign, [HARNESS_TOKEN_HEADER]: token });
      expect(r.status, foreign).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'unauthenticated', reason: 'auth.foreignOrigin' } });
    }
    const own = await call({ origin, [HARNESS_TOKEN_HEADER]: token });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject({ ok: true, result: { initialized: false } });
    expect((await call({ [HARNESS_TOKEN_HEADER]: token })).status).toBe(200);
    // The per-launch token is still required.
    const noToken = await call({ origin });
    expect(noToken.status).toBe(403);
    expect(JSON.parse(noToken.body)).toMatchObject({ error: { reason: 'auth.badHarnessToken' } });
    expect((await call({ origin, [HARNESS_TOKEN_HEADER]: token.slice(1) + 'x' })).status).toBe(403);
  });

  it('reads request paths: decoded, or null when malformed', () => {
    expect(requestPath('/a%20b?x=1')).toBe('/a b');
    expect(requestPath('/api')).toBe('/api');
    for (const bad of [undefined, '', '*', 'http://evil.example/', '//evil.example/x', '/%E0%A4%A', '/%00']) expect(requestPath(bad), String(bad)).toBeNull();
  });
});
