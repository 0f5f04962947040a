/**
 * Per-list score bands and action text (DESIGN.md section 5.7): set by a supervisor or admin,
 * refused in the wrong order, audited with old and new values, and used by the very next
 * screening (the engine drops its cached screener). Also the `watchdesk list-settings` command.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, createClient, type ApiClient } from '../../shared/client';
import { DEFAULT_ACTIONS, DEFAULT_THRESHOLDS } from '../../shared/domain';
import type { Engine } from '../../electron/core/api/engine';
import { checkThresholdOrder, formatScore, setListSafeguard } from '../../electron/core/watchlists/settings';
import { LIST_SAFEGUARDS, safeguardOn, type ListSafeguard } from '../../electron/core/watchlists/four-eyes';
import { PASSPHRASE, PASSWORD, setUpEngine, tempDir } from './helpers';

const TINY = 'id,name,date of birth,nationality\nT-1,SOMCHAI RATTANAPORN,1980-05-05,THA\nT-2,ALPHA TESTPERSON,1970-01-01,GBR\n';
/** A traveler whose given name differs from T-1's: a middling score, in review under the default bands. */
const TRAVELER = { fullName: 'SOMSAK RATTANAPORN', dateOfBirth: '1980-05-05' };

async function tinyList(api: ApiClient) {
  await api.call('watchlists.import', { listName: 'Tiny', kind: 'wanted', fileName: 'tiny.csv', contentBase64: Buffer.from(TINY).toString('base64') });
  return (await api.call('watchlists.list')).find((l) => l.name === 'Tiny')!;
}

async function as(engine: Engine, api: ApiClient, username: string, roles: ('officer' | 'supervisor' | 'admin' | 'auditor')[]): Promise<ApiClient> {
  const password = `desk shift ${roles.join(' ')} 9`;
  await api.call('users.create', { username, password, roles });
  const c = createClient((r) => engine.handle(r));
  await c.call('auth.signIn', { username, password });
  return c;
}

function auditRows(engine: Engine) {
  return (engine.requireDb().prepare("SELECT actor_id, subject, details FROM audit WHERE action = 'list.setSettings' ORDER BY seq").all() as { actor_id: string; subject: string; details: string }[])
    .map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

const round = (n: number) => Math.round(n * 1000) / 1000;

describe('list settings: bands and action text per list', () => {
  it('the next screening uses the new bands and action; audited with from and to; reset restores the defaults', async () => {
    const { engine, api } = await setUpEngine();
    const list = await tinyList(api);
    // A second list with the default bands: retrieval keeps whatever could reach the lowest review
    // threshold of any list, so T-1 is still found once Tiny's review is raised above its score.
    const other = 'id,name\nO-1,DELTA OTHERPERSON\n';
    await api.call('watchlists.import', { listName: 'Other', kind: 'monitor', fileName: 'other.csv', contentBase64: Buffer.from(other).toString('base64') });
    expect(list).toMatchObject({ thresholds: DEFAULT_THRESHOLDS, actionText: DEFAULT_ACTIONS.wanted, overrides: { strong: null, review: null, weak: null, actionText: null } });
    const screen = async () => (await api.call('screening.screen', { traveler: TRAVELER })).hits.filter((h) => h.entryId === 'T-1');

    const [first] = await screen();
    expect(first).toBeDefined();
    const s = first!.score;
    expect(first!.band).toBe('review');
    expect(s).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.review);
    expect(s).toBeLessThan(DEFAULT_THRESHOLDS.strong);

    // Strong lowered below the score: a strong hit.
    expect((await api.call('watchlists.setSettings', { listId: list.id, thresholds: { strong: round(s - 0.01), review: 0.7 } })).thresholds)
      .toEqual({ strong: round(s - 0.01), review: 0.7, weak: DEFAULT_THRESHOLDS.weak });
    expect(await screen()).toMatchObject([{ score: s, band: 'strong', action: DEFAULT_ACTIONS.wanted }]);

    // Review raised just above the score: the same traveler is now a weak hit, with the list's own action.
    const raised = { strong: round(Math.min(1, s + 0.08)), review: round(s + 0.02), weak: DEFAULT_THRESHOLDS.weak };
    const view = await api.call('watchlists.setSettings', { listId: list.id, thresholds: raised, actionText: '  Call the duty officer on 1111.  ' });
    expect(view).toMatchObject({ thresholds: raised, actionText: 'Call the duty officer on 1111.', overrides: { ...raised, actionText: 'Call the duty officer on 1111.' } });
    const [second] = await screen();
    expect(second).toMatchObject({ score: s, band: 'weak', action: 'Call the duty officer on 1111.' });

    // Weak raised above the score too: no hit at all. Only weak changes; the rest stay as set.
    await api.call('watchlists.setSettings', { listId: list.id, thresholds: { weak: round(s + 0.01) } });
    expect((await api.call('watchlists.list')).find((l) => l.id === list.id)!.thresholds).toEqual({ ...raised, weak: round(s + 0.01) });
    expect(await screen()).toEqual([]);

    // Everything back to the defaults.
    const reset = await api.call('watchlists.setSettings', { listId: list.id, thresholds: null, actionText: null });
    expect(reset).toMatchObject({ thresholds: DEFAULT_THRESHOLDS, actionText: DEFAULT_ACTIONS.wanted, overrides: { strong: null, review: null, weak: null, actionText: null } });
    expect(await screen()).toMatchObject([{ band: 'review', action: DEFAULT_ACTIONS.wanted }]);

    const rows = auditRows(engine);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.subject === list.id && r.actor_id === (engine.requireDb().prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: string }).id)).toBe(true);
    expect(rows[0]!.details).toEqual({
      listId: list.id,
      from: { ...DEFAULT_THRESHOLDS, actionText: DEFAULT_ACTIONS.wanted, defaults: ['strong', 'review', 'weak', 'actionText'] },
      to: { strong: round(s - 0.01), review: 0.7, weak: DEFAULT_THRESHOLDS.weak, actionText: DEFAULT_ACTIONS.wanted, defaults: ['weak', 'actionText'] },
    });
    expect(rows[1]!.details).toEqual({
      listId: list.id,
      from: { strong: round(s - 0.01), review: 0.7, weak: DEFAULT_THRESHOLDS.weak, actionText: DEFAULT_ACTIONS.wanted, defaults: ['weak', 'actionText'] },
      to: { ...raised, actionText: 'Call the duty officer on 1111.', defaults: [] },
    });
    expect(rows[2]!.details).toMatchObject({ from: { weak: DEFAULT_THRESHOLDS.weak }, to: { weak: round(s + 0.01), defaults: [] } });
    expect(rows[3]!.details).toMatchObject({ to: { ...DEFAULT_THRESHOLDS, actionText: DEFAULT_ACTIONS.wanted, defaults: ['strong', 'review', 'weak', 'actionText'] } });
    expect((await api.call('audit.verify')).ok).toBe(true);
  });

  it('refuses thresholds out of order (defaults applied), naming the field; nothing changes', async () => {
    const { engine, api } = await setUpEngine();
    const list = await tinyList(api);
    await api.call('watchlists.setSettings', { listId: list.id, actionText: 'Kept as it is.' });
    const before = (await api.call('watchlists.list'))[0];
    const audits = auditRows(engine).length;
    const refused = async (thresholds: Record<string, number | null> | null, actionText?: string) =>
      api.call('watchlists.setSettings', { listId: list.id, thresholds, actionText }).catch((e: ApiCallError) => ({ code: e.code, message: e.message }));

    // Weak 0.80 against the default review 0.75.
    expect(await refused({ weak: 0.8 }, 'Not saved.')).toEqual({ code: 'bad_input', message: 'thresholds: weak (0.80) must be below review (0.75)' });
    expect(await refused({ weak: 0.75 })).toEqual({ code: 'bad_input', message: 'thresholds: weak (0.75) must be below review (0.75)' });
    expect(await refused({ review: 0.95 })).toEqual({ code: 'bad_input', message: 'thresholds: review (0.95) must not be above strong (0.90)' });
    expect(await refused({ strong: 0.5, review: 0.7, weak: 0.6 })).toEqual({ code: 'bad_input', message: 'thresholds: review (0.70) must not be above strong (0.50)' });
    expect(await refused({ strong: 0.95, review: 0.755, weak: 0.755 })).toEqual({ code: 'bad_input', message: 'thresholds: weak (0.755) must be below review (0.755)' });
    // Outside 0..1, or not a number: refused by the contract.
    for (const bad of [{ strong: 1.5 }, { weak: -0.1 }, { review: '0.8' }, { other: 0.5 }]) {
      const e = await api.call('watchlists.setSettings', { listId: list.id, thresholds: bad as never }).catch((x: ApiCallError) => x);
      expect(e).toMatchObject({ code: 'invalid_request' });
    }
    const long = await api.call('watchlists.setSettings', { listId: list.id, actionText: 'x'.repeat(501) }).catch((x: ApiCallError) => x);
    expect(long).toMatchObject({ code: 'invalid_request', issues: [{ path: 'actionText' }] });
    const missing = await api.call('watchlists.setSettings', { listId: crypto.randomUUID(), thresholds: null }).catch((x: ApiCallError) => x);
    expect(missing).toMatchObject({ code: 'bad_input', message: 'no such list' });

    expect((await api.call('watchlists.list'))[0]).toEqual(before);
    expect(auditRows(engine)).toHaveLength(audits);
    // review equal to strong is allowed (no review band of its own).
    expect((await api.call('watchlists.setSettings', { listId: list.id, thresholds: { review: 0.9 } })).thresholds).toEqual({ strong: 0.9, review: 0.9, weak: 0.6 });
  });

  it('only a supervisor or an admin may change them; an officer is refused (audited) and sees them read-only', async () => {
    const { engine, api } = await setUpEngine();
    const list = await tinyList(api);
    const officer = await as(engine, api, 'officer1', ['officer']);
    const e = await officer.call('watchlists.setSettings', { listId: list.id, thresholds: { review: 0.8 } }).catch((x: ApiCallError) => x);
    expect(e).toMatchObject({ code: 'forbidden', message: 'your role may not call watchlists.setSettings' });
    const denied = engine.requireDb().prepare("SELECT details FROM audit WHERE action = 'denied'").all() as { details: string }[];
    expect(denied.map((d) => JSON.parse(d.details).method)).toContain('watchlists.setSettings');
    expect((await officer.call('watchlists.list'))[0]!.thresholds).toEqual(DEFAULT_THRESHOLDS);

    const supervisor = await as(engine, api, 'super1', ['supervisor']);
    const admin = await as(engine, api, 'admin1', ['admin']);
    expect((await supervisor.call('watchlists.setSettings', { listId: list.id, thresholds: { review: 0.8 } })).thresholds.review).toBe(0.8);
    expect((await admin.call('watchlists.setSettings', { listId: list.id, thresholds: { review: 0.85 } })).thresholds.review).toBe(0.85);
    expect((await officer.call('watchlists.list'))[0]!.thresholds.review).toBe(0.85);
    expect(auditRows(engine)).toHaveLength(2);
  });

  it('formats scores in messages with two decimals or more when they matter', () => {
    expect([0.8, 0.75, 1, 0, 0.755, 0.7555, 0.12345].map(formatScore)).toEqual(['0.80', '0.75', '1.00', '0.00', '0.755', '0.7555', '0.1235']);
    expect(() => checkThresholdOrder({ strong: 0.9, review: 0.9, weak: 0.1 })).not.toThrow();
    expect(() => checkThresholdOrder({ strong: 0.9, review: 0.6, weak: 0.6 })).toThrow('thresholds: weak (0.60) must be below review (0.60)');
  });
});

/** The supervisors of the four-eyes tests, each with the password `as` gives them. */
const SECOND = { username: 'super2', password: 'desk shift supervisor 9' };

async function refusal(p: Promise<unknown>): Promise<ApiCallError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiCallError);
  return e as ApiCallError;
}

function rowsOf(engine: Engine, action: string) {
  return (engine.requireDb().prepare('SELECT actor_id, subject, details FROM audit WHERE action = ? ORDER BY seq').all(action) as { actor_id: string | null; subject: string; details: string }[])
    .map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

describe('four eyes that holds: a setting that asks for a second person is turned off only with one', () => {
  /** A desk with a list, the setup admin (every role: the one who asks) and a second supervisor. */
  async function desk() {
    const { engine, api } = await setUpEngine();
    const list = await tinyList(api);
    const second = await as(engine, api, SECOND.username, ['supervisor']);
    await as(engine, api, 'officer1', ['officer']);
    const users = await api.call('users.list');
    const idOf = (name: string) => users.find((u) => u.username === name)!.id;
    return { engine, api, list, second, idOf };
  }

  it('publishing approval: on alone; off refused alone, with the asker\'s own account, a wrong password or a non-supervisor; off with a second supervisor, audited with both', async () => {
    const { engine, api, list, idOf } = await desk();
    expect((await api.call('watchlists.setApproval', { listId: list.id, requireApproval: true })).requireApproval).toBe(true);
    const off = (approval?: { username: string; password: string }) => api.call('watchlists.setApproval', { listId: list.id, requireApproval: false, approval });

    expect(await refusal(off())).toMatchObject({ code: 'conflict', reason: 'list.turnOffNeedsApproval' });
    expect((await refusal(off({ username: 'admin', password: PASSWORD }))).reason).toBe('approval.sameAsRequester');
    expect(await refusal(off({ username: SECOND.username, password: 'not their password' }))).toMatchObject({ code: 'bad_input', reason: 'approval.wrongCredentials' });
    expect((await refusal(off({ username: 'officer1', password: 'desk shift officer 9' }))).reason).toBe('approval.notSupervisor');
    expect((await api.call('watchlists.list'))[0]!.requireApproval).toBe(true);
    // The failed approval is in the trail under the account it tried, with who asked.
    expect(rowsOf(engine, 'approval.fail')).toMatchObject([{ actor_id: idOf(SECOND.username), subject: list.id, details: { requestedBy: idOf('admin'), failures: 1 } }]);

    // So the attack of issue 15 fails: with approval still on, an import waits for a second supervisor.
    const v2 = await api.call('watchlists.import', { listName: 'Tiny', kind: 'wanted', fileName: 'tiny2.csv', contentBase64: Buffer.from(`${TINY}T-3,BRAVO NEWPERSON,1990-01-01,THA\n`).toString('base64') });
    expect(v2).toMatchObject({ published: false, pendingApproval: true });
    expect((await refusal(api.call('watchlists.approve', { versionId: v2.versionId! }))).reason).toBe('list.fourEyes');

    expect((await off(SECOND)).requireApproval).toBe(false);
    expect(rowsOf(engine, 'list.setApproval').map((r) => [r.actor_id, r.details])).toEqual([
      [idOf('admin'), { listId: list.id, from: false, to: true, approvedBy: null, requireApproval: true }],
      [idOf('admin'), { listId: list.id, from: true, to: false, approvedBy: idOf(SECOND.username), requireApproval: false }],
    ]);
    // Off already: turning it off again needs nobody.
    expect((await off()).requireApproval).toBe(false);
    expect((await api.call('audit.verify')).ok).toBe(true);
  });

  it('clearance approval at the desk: on alone, off only with a second supervisor (the one asking cannot approve), audited with both', async () => {
    const { engine, api, list, second, idOf } = await desk();
    expect((await second.call('watchlists.setClearanceApproval', { listId: list.id, required: true })).clearanceApproval).toBe(true);
    const off = (c: ApiClient, approval?: { username: string; password: string }) => c.call('watchlists.setClearanceApproval', { listId: list.id, required: false, approval });
    expect((await refusal(off(second))).reason).toBe('list.turnOffNeedsApproval');
    expect((await refusal(off(second, SECOND))).reason).toBe('approval.sameAsRequester');
    expect((await api.call('watchlists.list'))[0]!.clearanceApproval).toBe(true);
    expect((await off(second, { username: 'admin', password: PASSWORD })).clearanceApproval).toBe(false);
    expect(rowsOf(engine, 'list.setClearanceApproval').map((r) => [r.actor_id, r.subject, r.details])).toEqual([
      [idOf(SECOND.username), list.id, { listId: list.id, from: false, to: true, approvedBy: null }],
      [idOf(SECOND.username), list.id, { listId: list.id, from: true, to: false, approvedBy: idOf('admin') }],
    ]);
  });

  it('holds for every setting in LIST_SAFEGUARDS (a new one inherits it): off refused without a second supervisor, nothing changed', async () => {
    const { engine, api, list } = await desk();
    const adminId = (await api.call('app.status')).user!.id;
    const names = Object.keys(LIST_SAFEGUARDS) as ListSafeguard[];
    expect(names).toEqual(expect.arrayContaining(['requireApproval', 'clearanceApproval']));
    for (const name of names) {
      await setListSafeguard(engine.desk(), adminId, list.id, name, true);
      expect(safeguardOn(engine.requireDb(), list.id, name)).toBe(true);
      await expect(setListSafeguard(engine.desk(), adminId, list.id, name, false)).rejects.toMatchObject({ reason: { code: 'list.turnOffNeedsApproval' } });
      await expect(setListSafeguard(engine.desk(), adminId, list.id, name, false, { username: 'admin', password: PASSWORD })).rejects.toMatchObject({ reason: { code: 'approval.sameAsRequester' } });
      expect(safeguardOn(engine.requireDb(), list.id, name), name).toBe(true);
      await setListSafeguard(engine.desk(), adminId, list.id, name, false, SECOND);
      expect(safeguardOn(engine.requireDb(), list.id, name), name).toBe(false);
    }
  });
});

describe('watchdesk list-settings', () => {
  const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      encoding: 'utf8', env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('shows, sets, refuses and resets', () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const csv = join(dir, 'tiny.csv');
    writeFileSync(csv, TINY);
    expect(run(['--db', db, 'init', '--timezone', 'Asia/Bangkok']).code).toBe(0);
    expect(run(['--db', db, 'import', csv, '--list', 'Tiny', '--kind', 'monitor']).code).toBe(0);

    const shown = run(['--db', db, 'list-settings', '--list', 'tiny']);
    expect(shown.code).toBe(0);
    expect(shown.out).toBe(
      `Tiny (monitor)\n  strong >= 0.90 (default)\n  review >= 0.75 (default)\n  weak   >= 0.60 (default)\n  action: ${DEFAULT_ACTIONS.monitor} (default)\n`,
    );

    const set = run(['--db', db, '--format', 'json', 'list-settings', '--list', 'Tiny', '--strong', '0.92', '--review', '0.8', '--action', 'Notify the intelligence desk by radio.']);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({
      name: 'Tiny', thresholds: { strong: 0.92, review: 0.8, weak: 0.6 }, actionText: 'Notify the intelligence desk by radio.',
      overrides: { strong: 0.92, review: 0.8, weak: null, actionText: 'Notify the intelligence desk by radio.' },
    });

    const bad = run(['--db', db, 'list-settings', '--list', 'Tiny', '--weak', '0.85']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('watchdesk: thresholds: weak (0.85) must be below review (0.80)\n');
    const notNumber = run(['--db', db, 'list-settings', '--list', 'Tiny', '--weak', 'high']);
    expect(notNumber.code).toBe(1);
    expect(notNumber.err).toBe('watchdesk: --weak takes a score from 0 to 1 (or "default")\n');

    // One back to its default; then --reset with a value: that value, the rest defaults.
    expect(run(['--db', db, 'list-settings', '--list', 'Tiny', '--strong', 'default']).out).toMatch(/strong >= 0\.90 \(default\)\n {2}review >= 0\.80\n/);
    const reset = run(['--db', db, 'list-settings', '--list', 'Tiny', '--reset', '--weak', '0.5']);
    expect(reset.code).toBe(0);
    expect(reset.out).toMatch(/review >= 0\.75 \(default\)\n {2}weak {3}>= 0\.50\n {2}action: Let pass, record, notify the intelligence desk\. \(default\)\n$/);

    const audit = run(['--db', db, '--format', 'json', 'audit', 'list', '--action', 'list.setSettings']);
    expect(audit.code).toBe(0);
    expect(JSON.stringify(JSON.parse(audit.out))).toContain('"to":{"strong":0.92,"review":0.8,"weak":0.6');
  }, 120_000);
});
