import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

const { APP_ENTRY_URL, createAppProtocolHandler, isAppUrl, registerAppScheme, serveApp } = await import('../../electron/main/protocol');
const { CSP } = await import('../../shared/transport');

const base = mkdtempSync(join(tmpdir(), 'watchdesk-shell-protocol-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Watchdesk</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(base, 'secret.txt'), 'SECRET');
mkdirSync(join(base, 'renderer-evil'));
writeFileSync(join(base, 'renderer-evil', 'x.js'), 'SECRET');
let symlinked = true;
try {
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
} catch {
  symlinked = false; // e.g. Windows without the privilege
}
afterAll(() => rmSync(base, { recursive: true, force: true }));

const serve = createAppProtocolHandler(root);
const get = (url: string, method = 'GET') => serve({ url, method });

describe('app: protocol', () => {
  it('registers app: as a standard, secure scheme without CORS, and serves it', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
    registerAppScheme(protocol);
    const [schemes] = protocol.registerSchemesAsPrivileged.mock.calls[0] as [{ scheme: string; privileges: Record<string, boolean> }[]];
    expect(schemes).toHaveLength(1);
    expect(schemes[0]).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect(schemes[0]?.privileges.corsEnabled).toBeFalsy();
    serveApp(protocol, root);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(APP_ENTRY_URL).toBe('app://watchdesk/index.html');
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://watchdesk.evil/index.html')).toBe(false);
  });

  it('serves renderer files with the CSP header and the right type', async () => {
    const html = await get('app://watchdesk/index.html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toBe(CSP);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await html.text()).toContain('<title>Watchdesk</title>');
    const js = await get('app://watchdesk/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('content-security-policy')).toBe(CSP);
    expect((await get('app://watchdesk/')).status).toBe(200);
    // Client-side routes (no extension) get the app; missing files do not.
    expect(await (await get('app://watchdesk/screening')).text()).toContain('Watchdesk');
    expect((await get('app://watchdesk/assets/missing.js')).status).toBe(404);
  });

  it('refuses path traversal in every spelling', async () => {
    for (const url of [
      'app://watchdesk/../secret.txt',
      'app://watchdesk/%2e%2e/secret.txt',
      'app://watchdesk/..%2fsecret.txt',
      'app://watchdesk/..%2Fsecret.txt',
      'app://watchdesk/assets/..%2F..%2Fsecret.txt',
      'app://watchdesk/..%5Csecret.txt',
      'app://watchdesk/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      'app://watchdesk/..%2Frenderer-evil%2Fx.js',
      `app://watchdesk/${encodeURIComponent(join(base, 'secret.txt'))}`,
      'app://watchdesk/%00index.html',
      'app://watchdesk/%E0%A4%A',
      ...(symlinked ? ['app://watchdesk/assets/link.txt'] : []),
    ]) {
      const res = await get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(await res.text(), url).not.toContain('SECRET');
    }
  });

  it('answers only GET and HEAD, and only for host watchdesk', async () => {
    expect((await get('app://watchdesk/index.html', 'POST')).status).toBe(405);
    const head = await get('app://watchdesk/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://other/index.html')).status).toBe(404);
  });

  it('uses the same CSP as the renderer <meta> tag', async () => {
    const html = readFileSync(join(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
    // frame-ancestors works only as a header (Chromium ignores it in a <meta> and logs an error).
    expect(meta).toBe(CSP.replace(/; frame-ancestors [^;]*$/, ''));
    expect(CSP).toMatch(/frame-ancestors 'none'$/);
  });
});

/** The CSP's directives: name -> its sources. */
function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name, sources);
  }
  return out;
}

describe('content security policy', () => {
  it('is strict: own scripts and styles only, nothing remote, no plugins, no framing, no form posts', () => {
    const d = directives(CSP);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    // No 'unsafe-inline' for styles: the renderer has no inline style (test below).
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('font-src')).toEqual(["'self'", 'data:']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    // Nothing anywhere that would let in inline code, eval or another origin.
    const sources = [...d.values()].flat();
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'http:', 'https:', 'ws:', 'wss:', 'file:']) {
      expect(sources, bad).not.toContain(bad);
    }
    expect(sources.filter((s) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s))).toEqual([]);
  });

  it("the renderer sets no inline style a CSP without 'unsafe-inline' would refuse", () => {
    // A style attribute in markup, a <style> element, or setAttribute('style') needs 'unsafe-inline';
    // React's style={{...}} props set CSSOM properties (element.style.x = ...), which CSP allows: the
    // virtual table's row positions and a chart's height use them (the e2e specs fail on any CSP report).
    const root = join(import.meta.dirname, '../../renderer');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (/\.(tsx?|html|css)$/.test(e.name)) files.push(join(dir, e.name));
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) =>
      /\sstyle\s*=\s*["']|\sstyle\s*=\s*\{\s*["'`]|<style[\s>]|setAttribute\(\s*['"`]style|dangerouslySetInnerHTML|insertAdjacentHTML|\.innerHTML\s*=/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });
});
