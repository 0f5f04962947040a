/**
 * The desk job from the command line (issue 14): `match` -> `decide` -> `record` as an officer,
 * then `crossings` and `crossing` as a supervisor, through the real `watchdesk` command (as
 * cli.test.ts runs it) and the engine's desk rules.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CrossingDetail, CrossingView } from '../../shared/contract';
import { FIXTURES, PASSPHRASE, PASSWORD, tempDir } from './helpers';

const CLI = join(import.meta.dirname, '../../bin/watchdesk.mjs');
const OFFICER = { WATCHDESK_USER: 'off.somchai', WATCHDESK_PASSWORD: 'officer password 1' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WATCHDESK_PASSWORD: PASSWORD, WATCHDESK_PASSPHRASE: PASSPHRASE, WATCHDESK_USER: undefined, WATCHDESK_APPROVER_PASSWORD: undefined, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A desk with the Thai warrants fixture as a wanted list and an officer account. */
function desk() {
  const db = join(tempDir(), 'w.db');
  const ok = (args: string[], env: Record<string, string> = {}) => {
    const r = run(['--db', db, ...args], env);
    expect(r.code, r.err).toBe(0);
    return r.out;
  };
  const json = <T>(args: string[], env: Record<string, string> = {}): T => JSON.parse(ok(['--format', 'json', ...args], env)) as T;
  /** Runs a command that must fail; returns its one-line reason. */
  const refused = (args: string[], env: Record<string, string> = {}) => {
    const r = run(['--db', db, ...args], env);
    expect(r.code, r.out).toBe(1);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    return r.err;
  };
  ok(['init', '--checkpoint', 'Chong Mek', '--timezone', 'Asia/Bangkok']);
  ok(['import', join(FIXTURES, 'warrants-th.csv'), '--list', 'Warrants', '--kind', 'wanted']);
  ok(['users', 'add', 'off.somchai', '--roles', 'officer'], { WATCHDESK_NEW_PASSWORD: OFFICER.WATCHDESK_PASSWORD });
  return { db, ok, json, refused };
}

interface MatchJson { screeningId: string; hits: { hitId: string; band: string; list: string; entryId: string }[] }

describe('watchdesk decide, record and crossings (issue 14: the CLI drives the whole desk job)', () => {
  it('match -> decide (with and without a four-eyes approver) -> record, then crossings with filters shows each crossing with its decisions', () => {
    const { ok, json, refused } = desk();

    // A listed person, screened by the officer: match prints the screening id and each hit's id.
    const a = json<MatchJson>(['match', '--name', 'Thotsobdi Sompong', '--dob', '14/03/2530', '--document', 'AA0004711'], OFFICER);
    expect(a.screeningId).toMatch(UUID);
    expect(a.hits[0]).toMatchObject({ list: 'Warrants', band: 'strong' });
    for (const h of a.hits) expect(h.hitId).toMatch(UUID);
    const toDecide = (m: MatchJson) => m.hits.filter((h) => h.band !== 'weak');

    // The desk rule: no crossing while a hit at or above review is undecided.
    expect(refused(['record', '--screening', a.screeningId, '--direction', 'entry', '--outcome', 'refused'], OFFICER))
      .toMatch(/^watchdesk: 1 hit\(s\) at or above review are undecided: decide each before recording the crossing/);
    // Confirmed: the listed person; a confirmed hit on a wanted list cannot pass.
    for (const h of toDecide(a)) {
      const d = json<{ hitId: string; decision: string; decidedBy: string; listedName: string; reference: string }>(
        ['decide', '--hit', h.hitId, '--decision', 'confirmed', '--note', 'same passport and date of birth'], OFFICER,
      );
      expect(d).toMatchObject({ hitId: h.hitId, decision: 'confirmed', decidedBy: 'off.somchai', listedName: 'นายสมปอง ทดสอบดี', reference: 'จ.101/2567' });
    }
    expect(refused(['record', '--screening', a.screeningId, '--direction', 'entry', '--outcome', 'passed'], OFFICER)).toMatch(/cannot end as passed/);
    const ca = json<CrossingView>(['record', '--screening', a.screeningId, '--direction', 'entry', '--outcome', 'refused', '--note', 'handed to the police'], OFFICER);
    expect(ca).toMatchObject({ direction: 'entry', outcome: 'refused-entry', officer: 'off.somchai', flagged: true, note: 'handed to the police' });
    expect(refused(['record', '--screening', a.screeningId, '--direction', 'entry', '--outcome', 'held'], OFFICER)).toMatch(/already recorded/);

    // Four eyes: clearing a strong hit on the list now needs a supervisor (the setup account holds every role).
    ok(['clearance-approval', '--list', 'Warrants', 'on']);
    const b = json<MatchJson>(['match', '--name', 'Wichai Saengsommot', '--dob', '1985'], OFFICER);
    const hb = toDecide(b);
    expect(hb[0]).toMatchObject({ band: 'strong' });
    expect(refused(['decide', '--hit', hb[0]!.hitId, '--decision', 'not-same'], OFFICER)).toMatch(/needs a supervisor's approval/);
    expect(refused(['decide', '--hit', hb[0]!.hitId, '--decision', 'not-same', '--approver', 'admin'], OFFICER))
      .toBe('watchdesk: WATCHDESK_APPROVER_PASSWORD is not set\n');
    expect(refused(['decide', '--hit', hb[0]!.hitId, '--decision', 'not-same', '--approver', 'admin'], { ...OFFICER, WATCHDESK_APPROVER_PASSWORD: 'not it' }))
      .toBe('watchdesk: wrong supervisor username or password\n');
    const cleared = ok(['decide', '--hit', hb[0]!.hitId, '--decision', 'not-same', '--note', 'born 1991, other village', '--approver', 'admin'], { ...OFFICER, WATCHDESK_APPROVER_PASSWORD: PASSWORD });
    expect(cleared).toMatch(/decision: not-same by off\.somchai at \d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Bangkok\), approved by admin/);
    for (const h of hb.slice(1)) ok(['decide', '--hit', h.hitId, '--decision', 'not-same', '--approver', 'admin'], { ...OFFICER, WATCHDESK_APPROVER_PASSWORD: PASSWORD });
    const cb = json<CrossingView>(['record', '--screening', b.screeningId, '--direction', 'exit', '--outcome', 'passed'], OFFICER);
    expect(cb).toMatchObject({ direction: 'exit', outcome: 'passed', flagged: true });

    // The supervisor's browser, from the command line: each filter finds its crossing, with the decision.
    type Page = { total: number; offset: number; limit: number; crossings: CrossingView[] };
    const ids = (p: Page) => p.crossings.map((c) => c.id);
    const confirmed = json<Page>(['crossings', '--list', 'Warrants', '--band', 'strong', '--decision', 'confirmed']);
    expect(ids(confirmed)).toEqual([ca.id]);
    expect(confirmed.crossings[0]!.hits[0]).toMatchObject({
      decision: 'confirmed', decidedBy: 'off.somchai', listedName: 'นายสมปอง ทดสอบดี', reference: 'จ.101/2567', band: 'strong',
    });
    expect(ids(json<Page>(['crossings', '--decision', 'not-same', '--direction', 'exit']))).toEqual([cb.id]);
    expect(ids(json<Page>(['crossings', '--outcome', 'refused', '--officer', 'off.somchai']))).toEqual([ca.id]);
    const all = json<Page>(['crossings', '--flagged', '--sort', 'time', '--order', 'asc', '--limit', '1', '--offset', '1']);
    expect(all).toMatchObject({ total: 2, offset: 1, limit: 1 });
    expect(ids(all)).toEqual([cb.id]);
    // Sorted by the top score, typed as the help shows it (camel case) or in lower case.
    const byScore = json<Page>(['crossings', '--flagged', '--sort', 'topScore', '--order', 'asc']);
    expect(byScore.crossings.map((c) => c.hits[0]!.score)).toEqual([...byScore.crossings.map((c) => c.hits[0]!.score)].sort((a, b) => a - b));
    expect(ids(json<Page>(['crossings', '--flagged', '--sort', 'topscore', '--order', 'asc']))).toEqual(ids(byScore));
    expect(ids(json<Page>(['crossings', '--document', 'aa-000 4711']))).toEqual([ca.id]);
    expect(ids(json<Page>(['crossings', '--name', 'Sompong Thotsobdi']))).toContain(ca.id);
    expect(json<Page>(['crossings', '--outcome', 'held']).total).toBe(0);

    // The table a person reads: local time at the checkpoint, outcome, officer, traveler, each hit's listed name and decision.
    const text = ok(['crossings', '--flagged']);
    expect(text).toMatch(/^1-2 of 2 crossing\(s\); times in Asia\/Bangkok\n/);
    expect(text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d +entry +refused-entry +off\.somchai +Thotsobdi Sompong +FLAGGED/);
    expect(text).toMatch(/ {4}Warrants: นายสมปอง ทดสอบดี \[จ\.101\/2567\] {2}1\.00 strong {2}confirmed by off\.somchai/);
    expect(text).toMatch(/ {4}Warrants: นายวิชัย แสงสมมติ \[จ\.103\/2567\] {2}\d\.\d\d strong {2}not-same by off\.somchai/);

    // One crossing in full.
    const detail = json<CrossingDetail>(['crossing', ca.id]);
    expect(detail).toMatchObject({ id: ca.id, screeningId: a.screeningId, note: 'handed to the police', outcome: 'refused-entry' });
    expect(detail.hits[0]).toMatchObject({ decision: 'confirmed', note: 'same passport and date of birth', decidedBy: 'off.somchai' });
    expect(detail.listVersions).toEqual([expect.objectContaining({ list: 'Warrants', number: 1 })]);
    expect(ok(['crossing', ca.id])).toMatch(/note: handed to the police/);
  }, 240_000);

  it('refuses words and numbers it does not take, with a one-line reason naming the words it takes', () => {
    const db = join(tempDir(), 'none.db');
    const id = '0b9c8e2e-51f4-4e0c-9d43-2f4f1c8a7d10';
    const cases: [string[], string][] = [
      [['decide', '--hit', id, '--decision', 'maybe'], '--decision takes not-same or confirmed'],
      [['decide', '--hit', id, '--decision', 'undecided'], '--decision takes not-same or confirmed'],
      [['decide', '--hit', 'hit-1', '--decision', 'confirmed'], '--hit takes the id that watchdesk match prints (a UUID)'],
      [['record', '--screening', id, '--direction', 'in', '--outcome', 'passed'], '--direction takes entry or exit'],
      [['record', '--screening', id, '--direction', 'entry', '--outcome', 'escaped'], '--outcome takes one of passed, refused, held, referred'],
      [['crossings', '--decision', 'yes'], '--decision takes one of undecided, not-same, confirmed'],
      [['crossings', '--sort', 'name'], '--sort takes one of time, topScore, officer, direction, outcome'],
      [['crossings', '--limit', '0'], '--limit takes a whole number from 1 to 1,000'],
    ];
    for (const [args, reason] of cases) {
      const r = run(['--db', db, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toBe(`watchdesk: ${reason}\n`);
    }
  }, 120_000);
});

describe('watchdesk --open-as (a locked desk opened by one of its accounts first)', () => {
  it("gives an account with no key slot for the desk's key its first sign-in; without it the desk stays shut", () => {
    const { ok, refused } = desk();
    // After a key rotation only the rotating admin holds a slot for the new key (as a department account
    // that never signed in here holds none): the officer's password alone cannot open the locked desk.
    ok(['keys', 'rotate']);
    expect(refused(['crossings'], OFFICER)).toMatch(/wrong username or password/);
    expect(refused(['--open-as', 'admin', 'crossings'], { ...OFFICER, WATCHDESK_OPEN_PASSWORD: 'not the admin password' })).toMatch(/wrong username or password/);
    expect(refused(['--open-as', 'admin', 'crossings'], OFFICER)).toMatch(/WATCHDESK_OPEN_PASSWORD is not set/);
    ok(['--open-as', 'admin', 'crossings'], { ...OFFICER, WATCHDESK_OPEN_PASSWORD: PASSWORD });
    // Its slot was made at that sign-in: from now on it opens the desk alone.
    ok(['crossings'], OFFICER);
    // The opener's and the officer's rows are signed by their own keys: the trail verifies.
    expect(ok(['audit', 'verify'])).toMatch(/intact|ok/i);
  });
});
