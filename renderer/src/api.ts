/**
 * The renderer's only way to the engine. In the Electron app the preload script exposes
 * `window.watchdesk.invoke` (IPC); in the browser harness the same `ApiRequest` envelopes are
 * POSTed to `/api` with the per-launch harness token, which arrives once in the URL fragment.
 */
import type { ApiRequest, ApiResponse } from '../../shared/contract';
import { ApiCallError, createClient, type Transport } from '../../shared/client';
import { HARNESS_TOKEN_HEADER as HARNESS_HEADER, type WatchdeskBridge } from '../../shared/transport';

declare global {
  interface Window {
    watchdesk?: WatchdeskBridge;
  }
}

const TOKEN_KEY = 'watchdesk.harnessToken';

/** Reads the harness token from `#harness=...` once, keeps it for this tab and clears the URL. */
function harnessToken(): string | null {
  const m = /(?:^#|&)harness=([^&]+)/.exec(window.location.hash);
  if (m?.[1]) {
    const token = decodeURIComponent(m[1]);
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      /* storage unavailable: keep it in memory only */
    }
    const clean = window.location.pathname + window.location.search;
    window.history.replaceState(null, '', clean);
    return token;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Thrown when the engine cannot be reached at all (not an error envelope). */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

function httpTransport(token: string | null): Transport {
  return async (req: ApiRequest): Promise<ApiResponse> => {
    if (!token) throw new TransportError('no-harness-token');
    let res: Response;
    try {
      res = await fetch('/api', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [HARNESS_HEADER]: token },
        body: JSON.stringify(req),
      });
    } catch {
      throw new TransportError('unreachable');
    }
    try {
      return (await res.json()) as ApiResponse;
    } catch {
      throw new TransportError('bad-response');
    }
  };
}

function ipcTransport(bridge: WatchdeskBridge): Transport {
  return async (req) => {
    try {
      return await bridge.invoke(req);
    } catch {
      throw new TransportError('unreachable');
    }
  };
}

export const transportKind: 'ipc' | 'http' = window.watchdesk ? 'ipc' : 'http';

export const api = createClient(window.watchdesk ? ipcTransport(window.watchdesk) : httpTransport(harnessToken()));

export { ApiCallError };

/** Listeners told when a call fails because the session is gone (expired, engine restarted). */
const sessionLost = new Set<() => void>();
export function onSessionLost(fn: () => void): () => void {
  sessionLost.add(fn);
  return () => sessionLost.delete(fn);
}

/** Calls the engine; an `unauthenticated` answer while signed in also signals a lost session. */
export const call: typeof api.call = async (method, payload) => {
  try {
    return await api.call(method, payload);
  } catch (e) {
    if (e instanceof ApiCallError && e.code === 'unauthenticated' && api.token && method !== 'auth.signIn') {
      api.token = null;
      for (const fn of sessionLost) fn();
    }
    throw e;
  }
};

/** Reads a File as base64 (without the data-URL prefix). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((ok, fail) => {
    const r = new FileReader();
    r.onerror = () => fail(r.error ?? new Error('read failed'));
    r.onload = () => {
      const s = typeof r.result === 'string' ? r.result : '';
      const comma = s.indexOf(',');
      ok(comma >= 0 ? s.slice(comma + 1) : '');
    };
    r.readAsDataURL(file);
  });
}

/** Decodes base64 into bytes. */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Saves bytes as a download (Blob + <a download>). */
export function downloadFile(fileName: string, bytes: Uint8Array<ArrayBuffer>, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
