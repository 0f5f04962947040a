/**
 * Property/fuzz tests of every API request schema (shared/contract.ts requestSchemas, enforced at
 * the boundary by Engine.handle and electron/core/api/validation.ts), issue 15: arbitrary values
 * and mutations of valid requests, for every method. At the validation layer (many cases): a
 * payload is accepted, or refused with an `invalid_request` envelope whose reason codes are known,
 * that serialises, and that never repeats a value sent. End to end through the real handler table
 * as a signed-in account holding every role (fewer cases: they reach the database): every answer
 * is a result or a clean error envelope, never `internal`, never a hang.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, ERROR_CODES, requestSchemas, type ApiMethod } from '../../shared/contract';
import type { Engine } from '../../electron/core/api/engine';
import { malformedRequest } from '../../electron/core/api/validation';
import { type CaseClock, fuzzHarness, fuzzParams, knownReason } from './fuzz-support';
import { setUpEngine } from './helpers';

const CASE_BUDGET_MS = 2_000;
/** Slowest end-to-end call allowed: sign-in, recovery, key rotation and backup derive keys from passwords (seconds on a loaded machine). */
const E2E_BUDGET_MS = 10_000;
/** End-to-end cases (each reaches the engine; the valid-shaped ones its database). */
const E2E_RUNS = 1_500;

const { clock } = fuzzHarness();

const U1 = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const U2 = '7e6d5c4b-3a29-4817-9f6e-5d4c3b2a1908';
const CSV = Buffer.from('ID,Name,Date of birth\nX-1,TESTPERSON ONE,1980-01-02\n').toString('base64');
/** One valid request per method (made-up values); a method added to the contract without one fails the first test. */
const VALID: Record<ApiMethod, Record<string, unknown>> = {
  'app.status': {},
  'app.setup': { adminUsername: 'admin2', password: 'a long password 1', recoveryPassphrase: 'a long recovery passphrase of a test', checkpointName: 'Test Gate', timeZone: 'UTC' },
  'auth.signIn': { username: 'nobody', password: 'not the password' },
  'auth.signOut': {},
  'watchlists.list': {},
  'watchlists.import': { listName: 'Fuzz list', kind: 'wanted', fileName: 'fuzz.csv', contentBase64: CSV, dryRun: true },
  'watchlists.importStart': { listName: 'Fuzz list', kind: 'monitor', fileName: 'fuzz.csv', contentBase64: CSV, mapping: { fullName: 1 }, dryRun: true },
  'watchlists.importStatus': { jobId: U1 },
  'watchlists.importCancel': { jobId: U1 },
  'watchlists.exportReport': { jobId: U1 },
  'watchlists.versions': { listId: U1 },
  'watchlists.rollback': { listId: U1, versionId: U2 },
  'watchlists.approve': { versionId: U1 },
  'watchlists.reject': { versionId: U1 },
  'watchlists.setApproval': { listId: U1, requireApproval: true },
  'watchlists.setClearanceApproval': { listId: U1, required: false },
  'watchlists.rename': { listId: U1, name: 'Renamed list' },
  'watchlists.setKind': { listId: U1, kind: 'monitor' },
  'watchlists.retire': { listId: U1 },
  'watchlists.reactivate': { listId: U1 },
  'watchlists.setSettings': { listId: U1, thresholds: { strong: 0.9, review: null }, actionText: 'Call the duty officer', staleDays: 30 },
  'watchlists.entries': { listId: U1, offset: 0, limit: 10 },
  'screening.screen': { traveler: { fullName: 'TESTPERSON ONE', dateOfBirth: '1980-01-02', sex: 'M', nationality: 'THA', documentNumber: 'AA1234567' }, top: 3 },
  'screening.batch': { fileName: 'manifest.csv', contentBase64: CSV, top: 3, minScore: 0.5 },
  'screening.batchStart': { fileName: 'manifest.csv', contentBase64: CSV },
  'screening.batchStatus': { jobId: U1 },
  'screening.batchCancel': { jobId: U1 },
  'screening.batchDiscard': { jobId: U1 },
  'screening.batchExport': { jobId: U1, format: 'csv', withHitsOnly: true },
  'screening.report': { hitId: U1 },
  'screening.decide': { hitId: U1, decision: 'not-same-person', note: 'different person', approval: { username: 'sup', password: 'x' } },
  'screening.applyPrevious': { hitId: U1 },
  'screening.correct': { hitId: U1, decision: 'confirmed', reason: 'checked again' },
  'crossings.record': { screeningId: U1, direction: 'entry', outcome: 'passed', note: 'ok' },
  'crossings.list': { flaggedOnly: true, from: '2026-01-01', to: '2026-12-31', offset: 0, limit: 10 },
  'crossings.get': { id: U1 },
  'crossings.export': { format: 'csv', from: '2026-01-01' },
  'crossings.exportStart': { format: 'xlsx', lang: 'th', flaggedOnly: true, outcome: 'held', name: 'TESTPERSON' },
  'audit.exportStart': { format: 'csv', lang: 'en', action: 'export', from: '2026-01-01', to: '2026-01-31' },
  'exports.status': { jobId: U1 },
  'exports.cancel': { jobId: U2 },
  'exports.take': { jobId: U1 },
  'dashboard.get': { from: '2026-01-01', to: '2026-01-31' },
  'dashboard.export': { to: '2026-03-01', lang: 'th' },
  'audit.verify': {},
  'audit.keys': {},
  'auth.changePassword': { currentPassword: 'not the password', newPassword: 'a new long password 2' },
  'auth.recover': { username: 'admin', recoveryPassphrase: 'not the passphrase', newPassword: 'a new long password 3' },
  'users.list': {},
  'users.create': { username: 'fuzzuser', password: 'fuzz password 12', roles: ['officer'] },
  'users.update': { userId: U1, roles: ['auditor'], disabled: false },
  'users.resetPassword': { userId: U1, password: 'fuzz password 13' },
  'settings.get': {},
  'settings.update': { idleMinutes: 30, retentionDays: 0 },
  'audit.list': { action: 'list.import', from: '2026-01-01', limit: 5 },
  'settings.setStaleLimit': { staleDays: 30 },
  'retention.purge': {},
  'keys.rotate': { password: 'not the password', recoveryPassphrase: 'not the passphrase' },
  'backup.create': { recoveryPassphrase: 'not the passphrase' },
  'backup.restore': { contentBase64: CSV, recoveryPassphrase: 'not the passphrase', username: 'admin', newPassword: 'a new long password 4' },
  'central.status': {},
  'central.sync': { url: 'postgres://127.0.0.1:5432/watchdesk' },
  'central.publish': { listId: U1 },
  'central.retire': { listId: U2 },
  'central.crossings': { from: '2025-01-01', to: '2025-01-31', checkpoint: 'Test Gate', flaggedOnly: true, decision: 'confirmed', offset: 0, limit: 50 },
  'central.crossingsExport': { format: 'csv', outcome: 'held', band: 'strong' },
  'central.dashboard': { from: '2025-01-01', to: '2025-01-31' },
  'central.dashboardExport': { from: '2025-01-01', to: '2025-01-31', lang: 'th' },
};

// --- mutations of a valid request ---

/** Values that probe a schema's edges: wrong types, limits, odd numbers, odd strings, prototype keys. */
const edgeValue = fc.oneof(
  fc.constantFrom(null, undefined, true, 0, -1, 0.5, 1.5, 2 ** 53, -(2 ** 53), Number.NaN, Infinity, -Infinity, 1e308, -0, '', ' ', '   x   ', '\u0000', '\ud800',
    '2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', U1.toUpperCase(), '====', 'QUJD', '*', [], {}, [[]], { a: 1 }),
  fc.integer({ min: 0, max: 300 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(41, 65, 121, 201, 256, 257, 301, 513, 2001, 100_000).map((n) => 'é'.repeat(n)),
  fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
);
const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), path: fc.nat(), value: edgeValue }),
  fc.record({ op: fc.constant('delete' as const), path: fc.nat() }),
  fc.record({ op: fc.constant('addKey' as const), path: fc.nat(), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty')), value: edgeValue }),
  fc.record({ op: fc.constant('wrap' as const), how: fc.constantFrom('array', 'string', 'null', 'number', 'nested') }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** Every object/array location in `v` (as paths), the root first. */
function containers(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  // Plain objects and arrays only (a boxed String's characters are read-only).
  if (v !== null && typeof v === 'object' && (Array.isArray(v) || [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null))) {
    out.push(path);
    for (const [k, x] of Object.entries(v)) containers(x, [...path, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}
function at(v: unknown, path: (string | number)[]): Record<string | number, unknown> | null {
  return path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : null), v) as Record<string | number, unknown> | null;
}

/** `v` as text (a payload sent as a string); a value fast-check cannot print (its `constructor` replaced) as a fixed text. */
function printed(v: unknown): string {
  try {
    return fc.stringify(v);
  } catch {
    return '{"unprintable":true}';
  }
}

/** Applies `ms` to a deep copy of `valid`; keys are written with defineProperty, so `__proto__` becomes an own key as JSON.parse makes it. */
function mutate(valid: Record<string, unknown>, ms: Mutation[]): unknown {
  let v: unknown = structuredClone(valid);
  for (const m of ms) {
    if (m.op === 'wrap') {
      v = m.how === 'array' ? [v] : m.how === 'string' ? printed(v) : m.how === 'null' ? null : m.how === 'number' ? 42 : { payload: v };
      continue;
    }
    const places = containers(v);
    if (!places.length) continue;
    const place = places[m.path % places.length]!;
    const obj = at(v, place);
    if (obj === null || typeof obj !== 'object') continue;
    const keys = Object.keys(obj);
    if (m.op === 'addKey') Object.defineProperty(obj, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    else if (!keys.length) continue;
    else if (m.op === 'delete') delete obj[keys[m.path % keys.length]!];
    else obj[keys[m.path % keys.length]!] = m.value;
  }
  return v;
}

const method = fc.constantFrom(...API_METHODS);
const request = fc.oneof(
  { arbitrary: fc.tuple(method, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([m, ms]) => ({ method: m, payload: mutate(VALID[m], ms) })), weight: 3 },
  { arbitrary: fc.tuple(method, fc.anything({ maxDepth: 3, withBigInt: true, withNullPrototype: true, withMap: true, withDate: true })).map(([m, p]) => ({ method: m, payload: p })), weight: 1 },
  { arbitrary: fc.tuple(method, fc.jsonValue({ maxDepth: 3 })).map(([m, p]) => ({ method: m, payload: p })), weight: 1 },
);

/** Strings of at least 8 characters anywhere in `v` (values, not keys): none may come back in an error's parameters. */
function sentStrings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof v === 'string') {
    if (v.trim().length >= 8) out.push(v.trim());
  } else if (v !== null && typeof v === 'object' && depth < 5 && !ArrayBuffer.isView(v)) {
    for (const x of v instanceof Map ? v.values() : v instanceof Set ? v.values() : Object.values(v)) sentStrings(x, out, depth + 1);
  }
  return out;
}

/** Validates as Engine.handle does; throws unless the payload is accepted or refused with a clean invalid_request envelope. */
function validate(c: CaseClock, m: ApiMethod, payload: unknown): boolean {
  const out = c.run(() => {
    const parsed = requestSchemas[m].safeParse(payload ?? {});
    return parsed.success ? null : malformedRequest(m, parsed.error, payload ?? {});
  });
  if (!out.ok) throw new Error(`validation threw for ${m}: ${out.error instanceof Error ? `${out.error.name}: ${out.error.message}` : typeof out.error}`);
  const e = out.value;
  if (!e) return true;
  // The envelope crosses a transport as JSON (the harness): it must serialise.
  let json: string;
  try {
    json = JSON.stringify(e);
  } catch (err) {
    throw new Error(`${m}: the invalid_request envelope does not serialise (${String(err)}): ${JSON.stringify(e, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)).slice(0, 400)}`, { cause: err });
  }
  expect(e.code).toBe('invalid_request');
  expect(knownReason(e.reason), `${m}: reason ${e.reason}`).toBe(true);
  expect(e.issues?.length).toBeGreaterThan(0);
  for (const i of e.issues ?? []) {
    expect(knownReason(i.reason), `${m}: issue reason ${i.reason}`).toBe(true);
    expect(typeof i.path).toBe('string');
    expect(typeof i.message).toBe('string');
  }
  // What was sent never comes back (the schema's limits only): a refused value may be a name or a password.
  const params = JSON.stringify([e.params, e.issues?.map((i) => i.params)]);
  for (const s of sentStrings(payload)) if (params.includes(JSON.stringify(s).slice(1, -1))) throw new Error(`${m}: the error repeats a value sent: ${json.slice(0, 300)}`);
  return false;
}

describe('fuzz: API request schemas (contract.ts, api/validation.ts, Engine.handle)', () => {
  it('has a valid example of every method, and each is accepted', () => {
    expect(API_METHODS.filter((m) => !(m in VALID))).toEqual([]);
    const c = clock('api examples');
    for (const m of API_METHODS) expect(validate(c, m, VALID[m]), m).toBe(true);
  });

  it('validation layer: every generated payload of every method is accepted or refused with a clean invalid_request envelope', () => {
    const c = clock('api schemas (validation layer)');
    const refused: Record<string, number> = {};
    fc.assert(fc.property(request, ({ method: m, payload }) => {
      if (!validate(c, m, payload)) refused[m] = (refused[m] ?? 0) + 1;
    }), fuzzParams(0xa91001));
    expect(c.cases).toBeGreaterThanOrEqual(10_000);
    expect(c.maxMs).toBeLessThan(CASE_BUDGET_MS);
    // Every method saw refusals (the generators reach every schema).
    expect(API_METHODS.filter((m) => !refused[m])).toEqual([]);
  });

  describe('end to end, through Engine.handle as an account holding every role', () => {
    let engine: Engine;
    let token: string;
    beforeAll(async () => {
      const s = await setUpEngine();
      engine = s.engine;
      token = s.api.token!;
    });
    afterAll(async () => {
      await engine.shutdown();
    });

    it('answers every generated request with a result or a clean error envelope, never internal, never slow', async () => {
      const c = clock('api Engine.handle (end to end)');
      const codes: Record<string, number> = {};
      // Signing out would end the session the other cases use; it is covered at the validation layer.
      const e2e = request.filter((r) => r.method !== 'auth.signOut');
      const odd = fc.record({ method: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'app.status ')), payload: fc.anything({ maxDepth: 2 }) });
      let slowest = { ms: 0, method: '' };
      await fc.assert(fc.asyncProperty(fc.oneof({ arbitrary: e2e, weight: 9 }, { arbitrary: odd, weight: 1 }), fc.nat(9).map((n) => n > 0), async (req, withToken) => {
        const t = performance.now();
        const res = await engine.handle({ method: req.method, token: withToken ? token : undefined, payload: req.payload });
        const ms = performance.now() - t;
        c.note(ms);
        if (ms > slowest.ms) slowest = { ms, method: req.method };
        const code = res.ok ? 'ok' : res.error.code;
        codes[code] = (codes[code] ?? 0) + 1;
        if (!res.ok) {
          expect(ERROR_CODES).toContain(res.error.code);
          expect(res.error.code, `${req.method}: ${res.error.message}`).not.toBe('internal');
          expect(knownReason(res.error.reason), `${req.method}: reason ${res.error.reason}`).toBe(true);
          JSON.stringify(res);
        }
      }), fuzzParams(0xa91002, E2E_RUNS));
      console.info(`fuzz api Engine.handle answers: ${JSON.stringify(codes)}; slowest ${slowest.method} ${slowest.ms.toFixed(0)} ms`);
      expect(c.maxMs).toBeLessThan(E2E_BUDGET_MS);
      // The session survived: the fuzzing did not sign the account out or lock it.
      expect((await engine.handle({ method: 'watchlists.list', token, payload: {} })).ok).toBe(true);
    }, 300_000);
  });
});
