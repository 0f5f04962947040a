/**
 * Every API method, called as every role, against a hand-written table of who may call what
 * (DESIGN.md section 2; issue 5). The table is written out here on purpose, not derived from
 * PERMISSIONS: a method added to the contract without a line here fails this test.
 */
import { describe, expect, it } from 'vitest';
import { API_METHODS, PUBLIC_METHODS, type ApiMethod } from '../../shared/contract';
import { createClient } from '../../shared/client';
import { openDatabase } from '../../electron/core/db/database';
import { readKeyFile, unlockWithPassword } from '../../electron/core/db/keyslots';
import { PASSWORD, setUpEngine } from './helpers';

type R = 'admin' | 'supervisor' | 'officer' | 'auditor';
const PUBLIC = 'public' as const;
const ALL: R[] = ['admin', 'supervisor', 'officer', 'auditor'];

/** Who may call each method. `public` needs no session at all. */
const EXPECTED: Record<string, R[] | typeof PUBLIC> = {
  'app.status': PUBLIC,
  'app.setup': PUBLIC,
  'auth.signIn': PUBLIC,
  'auth.recover': PUBLIC,
  'backup.restore': PUBLIC,
  'auth.signOut': ALL,
  'auth.changePassword': ALL,
  'settings.get': ALL,
  'watchlists.list': ALL,
  'watchlists.import': ['supervisor'],
  'watchlists.importStart': ['supervisor'],
  'watchlists.importStatus': ['supervisor'],
  'watchlists.importCancel': ['supervisor'],
  'watchlists.exportReport': ['supervisor'],
  'watchlists.versions': ['supervisor', 'auditor'],
  'watchlists.rollback': ['supervisor'],
  'watchlists.approve': ['supervisor'],
  'watchlists.reject': ['supervisor'],
  'watchlists.setApproval': ['supervisor'],
  'watchlists.setClearanceApproval': ['supervisor'],
  'watchlists.rename': ['supervisor'],
  'watchlists.setKind': ['supervisor'],
  'watchlists.retire': ['supervisor'],
  'watchlists.reactivate': ['supervisor'],
  'watchlists.setSettings': ['supervisor', 'admin'],
  'watchlists.entries': ['supervisor', 'officer', 'auditor'],
  'screening.screen': ['officer'],
  'screening.batch': ['officer', 'supervisor'],
  'screening.batchStart': ['officer', 'supervisor'],
  'screening.batchStatus': ['officer', 'supervisor'],
  'screening.batchCancel': ['officer', 'supervisor'],
  'screening.batchDiscard': ['officer', 'supervisor'],
  'screening.batchExport': ['officer', 'supervisor'],
  'screening.decide': ['officer'],
  'screening.report': ['officer', 'supervisor'],
  'screening.applyPrevious': ['officer'],
  'screening.correct': ['supervisor'],
  'crossings.record': ['officer'],
  'crossings.list': ['officer', 'supervisor', 'auditor'],
  'crossings.get': ['officer', 'supervisor', 'auditor'],
  'crossings.export': ['supervisor', 'auditor'],
  'crossings.exportStart': ['supervisor', 'auditor'],
  'audit.exportStart': ['auditor', 'admin'],
  // An export job is its starter's own (another account is told it does not exist).
  'exports.status': ['supervisor', 'auditor', 'admin'],
  'exports.cancel': ['supervisor', 'auditor', 'admin'],
  'exports.take': ['supervisor', 'auditor', 'admin'],
  // The supervisors' dashboard (crossings/dashboard.ts): counts and list entries, no traveler data.
  'dashboard.get': ['supervisor', 'auditor'],
  'dashboard.export': ['supervisor', 'auditor'],
  'audit.verify': ['auditor', 'admin'],
  'audit.keys': ['auditor', 'admin'],
  'audit.list': ['auditor', 'admin'],
  'users.list': ['admin'],
  'users.create': ['admin'],
  'users.update': ['admin'],
  'users.resetPassword': ['admin'],
  'settings.update': ['admin'],
  'settings.setStaleLimit': ['supervisor', 'admin'],
  'retention.purge': ['admin'],
  'keys.rotate': ['admin'],
  'backup.create': ['admin'],
  'central.status': ALL,
  'central.sync': ALL,
  'central.publish': ['supervisor'],
  'central.retire': ['supervisor'],
  'central.crossings': ['supervisor', 'auditor'],
  'central.crossingsExport': ['supervisor', 'auditor'],
  'central.dashboard': ['supervisor', 'auditor'],
  'central.dashboardExport': ['supervisor', 'auditor'],
};

describe('role matrix', () => {
  it('has a hand-written expectation for every method of the contract, and public ones match the contract', () => {
    expect(API_METHODS.filter((m) => !(m in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((m) => !API_METHODS.includes(m as ApiMethod))).toEqual([]);
    expect(API_METHODS.filter((m) => PUBLIC_METHODS.has(m)).sort()).toEqual(Object.keys(EXPECTED).filter((m) => EXPECTED[m] === PUBLIC).sort());
  });

  it('allows and denies every method for every role exactly as the table says, and audits each denial', async () => {
    const { engine, api, dbPath } = await setUpEngine();
    const pw: Record<R, string> = { admin: '', supervisor: 'supervisor pass 1', officer: 'officer pass 22', auditor: 'auditor pass 333' };
    for (const r of ['supervisor', 'officer', 'auditor'] as const) await api.call('users.create', { username: `only-${r}`, password: pw[r], roles: [r] });
    // A second account that holds nothing but admin (the setup account holds all four roles).
    await api.call('users.create', { username: 'only-admin', password: 'admin pass 4444', roles: ['admin'] });
    pw.admin = 'admin pass 4444';

    const seen: { role: R; method: string; code: string }[] = [];
    let denials = 0;
    for (const role of ALL) {
      const client = createClient((req) => engine.handle(req));
      await client.call('auth.signIn', { username: `only-${role}`, password: pw[role] });
      const methods = [...API_METHODS.filter((m) => m !== 'auth.signOut'), 'auth.signOut' as const];
      for (const method of methods) {
        const res = await engine.handle({ method, token: client.token, payload: {} });
        const code = res.ok ? 'ok' : res.error.code;
        seen.push({ role, method, code });
        const exp = EXPECTED[method]!;
        const allowed = exp === PUBLIC || exp.includes(role);
        if (allowed) expect(code, `${role} should be allowed ${method}`).not.toBe('forbidden');
        else {
          expect(code, `${role} should be denied ${method}`).toBe('forbidden');
          denials++;
        }
        expect(code, `${method} as ${role}`).not.toBe('internal');
      }
    }
    expect(seen).toHaveLength(ALL.length * API_METHODS.length);
    // Without a session every non-public method is refused before anything else happens.
    for (const method of API_METHODS) {
      const res = await engine.handle({ method, payload: {} });
      if (EXPECTED[method] !== PUBLIC) expect(!res.ok && res.error.code, method).toBe('unauthenticated');
    }
    engine.close();

    const db = openDatabase(dbPath, await unlockWithPassword(readKeyFile(dbPath), 'admin', PASSWORD));
    const denied = db.prepare("SELECT actor_id, details FROM audit WHERE action = 'denied'").all() as { actor_id: string; details: string }[];
    db.close();
    expect(denied).toHaveLength(denials);
    expect(denials).toBeGreaterThan(60);
    expect(denied.every((d) => d.actor_id && JSON.parse(d.details).method)).toBe(true);
  }, 120_000);
  // Issue 14, who sees what (crossings/query.ts): enforced in the engine for list, get and search.
  it('shows an officer the crossings they recorded and the last 24 hours at the checkpoint, not an older one of another officer; supervisors and auditors see all', async () => {
    const t0 = Date.parse('2026-03-01T03:00:00Z');
    const clock = { now: t0 };
    const { engine, api } = await setUpEngine({ now: () => new Date(clock.now), idleTimeoutMs: 365 * 24 * 3_600_000 });
    const accounts = { niran: 'officer', anong: 'officer', malee: 'supervisor', ploy: 'auditor' } as const;
    const client: Record<string, ReturnType<typeof createClient>> = {};
    for (const [name, role] of Object.entries(accounts)) {
      await api.call('users.create', { username: name, password: `desk shift secret ${name.length}x`, roles: [role] });
      client[name] = createClient((req) => engine.handle(req));
      await client[name].call('auth.signIn', { username: name, password: `desk shift secret ${name.length}x` });
    }
    const record = async (who: string, at: number, fullName: string, documentNumber: string) => {
      clock.now = at;
      const s = await client[who]!.call('screening.screen', { traveler: { fullName, documentNumber } });
      return (await client[who]!.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' })).id;
    };
    const hour = 3_600_000;
    const othersOld = await record('anong', t0, 'Somchai Jaidee', 'AA1111111');
    const ownOld = await record('niran', t0 + hour, 'Malee Examplename', 'BB2222222');
    const othersRecent = await record('anong', t0 + 29 * hour, 'Somying Rakthai', 'CC3333333');
    // Recent, but recorded under another checkpoint name.
    engine.requireDb().prepare("UPDATE settings SET value = 'Chiang Khong' WHERE key = 'checkpoint.name'").run();
    const elsewhere = await record('anong', t0 + 29 * hour, 'Prasert Thongkham', 'DD4444444');
    engine.requireDb().prepare("UPDATE settings SET value = 'Mae Sai' WHERE key = 'checkpoint.name'").run();
    clock.now = t0 + 30 * hour;

    const listed = async (who: string, f: Record<string, unknown> = {}) => {
      const r = await client[who]!.call('crossings.list', f);
      expect(r.total).toBe(r.crossings.length);
      return r.crossings.map((c) => c.id).sort();
    };
    expect(await listed('niran')).toEqual([ownOld, othersRecent].sort());
    expect(await listed('anong')).toEqual([othersOld, othersRecent, elsewhere].sort());
    for (const who of ['malee', 'ploy']) expect(await listed(who)).toEqual([othersOld, ownOld, othersRecent, elsewhere].sort());
    // Search by name and document, and the filters, never reach beyond the scope.
    expect(await listed('niran', { name: 'Somchai Jaidee' })).toEqual([]);
    expect(await listed('niran', { document: 'AA1111111' })).toEqual([]);
    expect(await listed('niran', { document: 'DD4444444' })).toEqual([]);
    expect(await listed('niran', { officer: 'anong' })).toEqual([othersRecent]);
    expect(await listed('niran', { name: 'Somying Rakthai' })).toEqual([othersRecent]);
    expect(await listed('malee', { name: 'Somchai Jaidee' })).toEqual([othersOld]);
    expect(await listed('ploy', { document: 'AA1111111' })).toEqual([othersOld]);
    // The detail: out of scope is not found.
    const get = async (who: string, id: string) => {
      const r = await engine.handle({ method: 'crossings.get', token: client[who]!.token, payload: { id } });
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await get('niran', othersOld)).toBe('not_found');
    expect(await get('niran', elsewhere)).toBe('not_found');
    expect(await get('niran', othersRecent)).toBe('ok');
    expect(await get('niran', ownOld)).toBe('ok');
    expect(await get('malee', othersOld)).toBe('ok');
    expect(await get('ploy', elsewhere)).toBe('ok');
    // A day later the other officer's crossing has left the officer's view; their own has not.
    clock.now = t0 + 54 * hour;
    expect(await listed('niran')).toEqual([ownOld]);
    expect(await get('niran', othersRecent)).toBe('not_found');
    engine.close();
  }, 120_000);
});
