/**
 * Decisions at the officer's desk (issue 11): remembered clearances (shown, never applied by
 * themselves, lapsing when the entry changes in a new list version), a supervisor's correction
 * that keeps the original decision, and four eyes at the desk (a supervisor's password, checked
 * and locked out as at sign-in, to clear a strong hit on a list that asks for it).
 */
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { ApiCallError, type ApiClient } from '../../shared/client';
import type { AuditEntryView, Traveler } from '../../shared/contract';
import { LOCKOUT_THRESHOLD } from '../../electron/core/lockout';
import { documentKey, entryIdentity } from '../../electron/core/decisions';
import { PASSWORD, setUpEngine, settledClient } from './helpers';

const OFFICER = { username: 'off.niran', password: 'border desk shift 2' };
const SUPERVISOR = { username: 'sup.malee', password: 'lists and versions 1' };
const AUDITOR = { username: 'aud.ploy', password: 'verify the chain 3' };

const HEADER = 'ID,Name,Date of birth,Nationality,Passport';
const V1 = [HEADER, 'W-1,Somchai Testperson,1980-01-01,THA,AA1111111', 'W-2,Malee Examplename,1985-05-05,THA,AB2222222'].join('\n');
/** Version 2: W-1 unchanged, W-2's date of birth corrected by the police. */
const V2 = [HEADER, 'W-1,Somchai Testperson,1980-01-01,THA,AA1111111', 'W-2,Malee Examplename,1985-06-05,THA,AB2222222'].join('\n');

const SOMCHAI: Traveler = { fullName: 'Somchai Testperson', dateOfBirth: '1980-01-01', nationality: 'THA', documentNumber: 'X1234567', documentIssuer: 'THA' };
const MALEE: Traveler = { fullName: 'Malee Examplename', dateOfBirth: '1985-05-05', nationality: 'THA', documentNumber: 'Y7654321', documentIssuer: 'THA' };

async function refusal(p: Promise<unknown>): Promise<ApiCallError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiCallError);
  return e as ApiCallError;
}

/** A desk with a wanted list, and an officer, a supervisor and an auditor each signed in on their own client. */
async function desk(kind: 'wanted' | 'monitor' = 'wanted') {
  const { engine, api: admin, dbPath } = await setUpEngine();
  for (const [p, role] of [[OFFICER, 'officer'], [SUPERVISOR, 'supervisor'], [AUDITOR, 'auditor']] as const) {
    await admin.call('users.create', { ...p, roles: [role] });
  }
  const signedIn = async (p: { username: string; password: string }): Promise<ApiClient> => {
    const c = settledClient(engine);
    await c.call('auth.signIn', p);
    return c;
  };
  const officer = await signedIn(OFFICER);
  const supervisor = await signedIn(SUPERVISOR);
  const auditor = await signedIn(AUDITOR);
  const importList = (csv: string) =>
    supervisor.call('watchlists.import', { listName: 'Police warrants', kind, fileName: 'warrants.csv', contentBase64: Buffer.from(csv).toString('base64') });
  await importList(V1);
  const listId = (await supervisor.call('watchlists.list'))[0]!.id;
  /** Screens a traveler and returns the hit on `entry`. */
  const hitOn = async (t: Traveler, entry: string) => {
    const s = await officer.call('screening.screen', { traveler: t });
    const hit = s.hits.find((h) => h.entryId === entry);
    expect(hit, `a hit on ${entry}`).toBeDefined();
    return { screeningId: s.screeningId, hit: hit! };
  };
  const audit = async (action: string): Promise<AuditEntryView[]> => (await admin.call('audit.list', { action, limit: 1000 })).entries;
  return { engine, dbPath, admin, officer, supervisor, auditor, importList, listId, hitOn, audit };
}

describe('remembered clearances', () => {
  it('shows who cleared the same document against the same entry, when and why; never decides by itself; Alt+P applies it, audited as a repeat', async () => {
    const d = await desk();
    const first = await d.hitOn(SOMCHAI, 'W-1');
    expect(first.hit.band).toBe('strong');
    expect(first.hit.previousClearance).toBeNull();
    const cleared = await d.officer.call('screening.decide', { hitId: first.hit.hitId!, decision: 'not-same-person', note: 'photo and height differ' });
    expect(cleared).toMatchObject({ decision: 'not-same-person', decidedBy: OFFICER.username, note: 'photo and height differ' });
    await d.officer.call('crossings.record', { screeningId: first.screeningId, direction: 'entry', outcome: 'passed' });

    // The same passport again: the hit is there, undecided, with the earlier clearance beside it.
    const again = await d.hitOn(SOMCHAI, 'W-1');
    expect(again.hit.decision).toBe('undecided');
    expect(again.hit.previousClearance).toEqual({
      hitId: first.hit.hitId, decision: 'not-same-person', decidedBy: OFFICER.username, decidedAt: cleared.decidedAt, note: 'photo and height differ',
    });
    // Never decided automatically: the crossing still waits for a decision.
    expect((await refusal(d.officer.call('crossings.record', { screeningId: again.screeningId, direction: 'exit', outcome: 'passed' }))).reason).toBe('crossing.undecidedHits');

    const applied = await d.officer.call('screening.applyPrevious', { hitId: again.hit.hitId! });
    expect(applied).toMatchObject({ decision: 'not-same-person', repeatsHitId: first.hit.hitId, note: 'photo and height differ', decidedBy: OFFICER.username });
    expect(applied.decidedAt).not.toBe(cleared.decidedAt);
    const decides = await d.audit('hit.decide');
    expect(decides).toHaveLength(2);
    expect(decides[0]).toMatchObject({ subject: again.hit.hitId, actorName: OFFICER.username, details: { decision: 'not-same-person', repeatsHitId: first.hit.hitId, repeatsDecision: 'not-same-person' } });
    expect(decides[1]!.details).not.toHaveProperty('repeatsHitId');
    await d.officer.call('crossings.record', { screeningId: again.screeningId, direction: 'exit', outcome: 'passed' });
    d.engine.close();
  });

  it('offers no clearance of another document, another issuing state, or a confirmed hit; the issuing state may be written as a name', async () => {
    const d = await desk();
    const first = await d.hitOn(SOMCHAI, 'W-1');
    await d.officer.call('screening.decide', { hitId: first.hit.hitId!, decision: 'not-same-person', note: 'different person' });
    expect((await d.hitOn({ ...SOMCHAI, documentNumber: 'X7777777' }, 'W-1')).hit.previousClearance).toBeNull();
    expect((await d.hitOn({ ...SOMCHAI, documentIssuer: 'LAO' }, 'W-1')).hit.previousClearance).toBeNull();
    expect((await d.hitOn({ ...SOMCHAI, documentIssuer: undefined }, 'W-1')).hit.previousClearance).toBeNull();
    expect((await d.hitOn({ ...SOMCHAI, documentNumber: 'x123 4567', documentIssuer: 'Thailand' }, 'W-1')).hit.previousClearance?.hitId).toBe(first.hit.hitId);
    const other = await d.hitOn(SOMCHAI, 'W-1');
    expect((await refusal(d.officer.call('screening.applyPrevious', { hitId: (await d.hitOn({ ...SOMCHAI, documentNumber: 'Z1' }, 'W-1')).hit.hitId! }))).reason)
      .toBe('hit.noPreviousClearance');
    // A confirmed hit is no clearance; and once the clearance is corrected to confirmed it is offered no more.
    const confirmed = await d.hitOn(MALEE, 'W-2');
    await d.officer.call('screening.decide', { hitId: confirmed.hit.hitId!, decision: 'confirmed' });
    expect((await d.hitOn(MALEE, 'W-2')).hit.previousClearance).toBeNull();
    await d.supervisor.call('screening.correct', { hitId: first.hit.hitId!, decision: 'confirmed', reason: 'the warrant photo matches after all' });
    expect((await d.hitOn(SOMCHAI, 'W-1')).hit.previousClearance).toBeNull();
    expect((await refusal(d.officer.call('screening.applyPrevious', { hitId: other.hit.hitId! }))).reason).toBe('hit.noPreviousClearance');
    expect(documentKey({ documentNumber: 'aa-123 4', documentIssuer: 'Lao PDR' })).toMatch(/:AA1234$/);
    d.engine.close();
  });

  it('carries over a list version that keeps the entry, and lapses when the new version changes it', async () => {
    const d = await desk();
    const s1 = await d.hitOn(SOMCHAI, 'W-1');
    const m1 = await d.hitOn(MALEE, 'W-2');
    await d.officer.call('screening.decide', { hitId: s1.hit.hitId!, decision: 'not-same-person', note: 'older man' });
    await d.officer.call('screening.decide', { hitId: m1.hit.hitId!, decision: 'not-same-person', note: 'other birthplace' });
    expect((await d.hitOn(MALEE, 'W-2')).hit.previousClearance?.hitId).toBe(m1.hit.hitId);

    const report = await d.importList(V2);
    expect(report.diff).toMatchObject({ changed: 1, unchanged: 1 });
    const s2 = await d.hitOn(SOMCHAI, 'W-1');
    expect(s2.hit.versionId).not.toBe(s1.hit.versionId);
    expect(s2.hit.previousClearance).toMatchObject({ hitId: s1.hit.hitId, note: 'older man' });
    const m2 = await d.hitOn({ ...MALEE, dateOfBirth: '1985-06-05' }, 'W-2');
    expect(m2.hit.versionId).not.toBe(m1.hit.versionId);
    expect(m2.hit.previousClearance).toBeNull();
    expect((await refusal(d.officer.call('screening.applyPrevious', { hitId: m2.hit.hitId! }))).reason).toBe('hit.noPreviousClearance');
    // What "the same entry" is: names, date of birth, sex, nationalities and documents.
    const row = { names: '[{"name":"A","kind":"primary"}]', date_of_birth: '1985-05-05', sex: null, nationalities: '["THA"]', documents: '[]' };
    expect(entryIdentity(row)).toBe(entryIdentity({ ...row }));
    expect(entryIdentity({ ...row, date_of_birth: '1985-06-05' })).not.toBe(entryIdentity(row));
    expect(entryIdentity({ ...row, documents: '[{"number":"P1","type":"passport","issuer":"THA"}]' })).not.toBe(entryIdentity(row));
    d.engine.close();
  });
});

describe('supervisor correction', () => {
  it('changes a decision after the crossing is recorded, keeps the original, and shows it in the hit, the crossings list and the export', async () => {
    const d = await desk();
    const s = await d.hitOn(SOMCHAI, 'W-1');
    const decided = await d.officer.call('screening.decide', { hitId: s.hit.hitId!, decision: 'not-same-person', note: 'no resemblance' });
    const crossing = await d.officer.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' });
    expect((await refusal(d.officer.call('screening.decide', { hitId: s.hit.hitId!, decision: 'confirmed' }))).reason).toBe('hit.crossingRecorded');
    expect((await refusal(d.officer.call('screening.correct', { hitId: s.hit.hitId!, decision: 'confirmed', reason: 'x' }))).code).toBe('forbidden');
    expect((await refusal(d.supervisor.call('screening.correct', { hitId: s.hit.hitId!, decision: 'confirmed', reason: '   ' }))).code).toBe('invalid_request');
    expect((await refusal(d.supervisor.call('screening.correct', { hitId: s.hit.hitId!, decision: 'not-same-person', reason: 'same' }))).reason).toBe('hit.correctionSame');

    const r = await d.supervisor.call('screening.correct', { hitId: s.hit.hitId!, decision: 'confirmed', reason: 'police matched the fingerprints' });
    // The correction is the truth; the crossing (passed) contradicts it: a warning, the crossing untouched.
    expect(r.warnings.map((w) => w.reason)).toEqual(['hit.correctionContradictsCrossing']);
    expect(r.hit).toMatchObject({ decision: 'confirmed', decidedBy: SUPERVISOR.username, note: 'police matched the fingerprints' });
    expect(r.hit.correction).toMatchObject({
      correctedBy: SUPERVISOR.username, reason: 'police matched the fingerprints', count: 1,
      original: { decision: 'not-same-person', note: 'no resemblance', decidedBy: OFFICER.username, decidedAt: decided.decidedAt },
    });
    const [c] = (await d.auditor.call('crossings.list', {})).crossings;
    expect(c).toMatchObject({ id: crossing.id, outcome: 'passed' });
    expect(c!.hits[0]).toMatchObject({ hitId: s.hit.hitId, decision: 'confirmed', correction: { correctedBy: SUPERVISOR.username, original: { decision: 'not-same-person' } } });
    const [row] = (await d.admin.call('audit.list', { action: 'hit.correct' })).entries;
    expect(row).toMatchObject({
      actorName: SUPERVISOR.username, subject: s.hit.hitId,
      details: { from: 'not-same-person', to: 'confirmed', crossingId: crossing.id, contradictsCrossing: true },
    });
    expect(JSON.stringify(row!.details)).not.toMatch(/fingerprints/);

    // A second correction keeps the very first decision as the original.
    const back = await d.supervisor.call('screening.correct', { hitId: s.hit.hitId!, decision: 'not-same-person', reason: 'fingerprint report withdrawn' });
    expect(back.warnings).toEqual([]);
    expect(back.hit.correction).toMatchObject({ count: 2, reason: 'fingerprint report withdrawn', original: { decision: 'not-same-person', note: 'no resemblance', decidedBy: OFFICER.username } });

    const xlsx = await d.auditor.call('crossings.export', { format: 'xlsx', flaggedOnly: false });
    const wb = XLSX.read(Buffer.from(xlsx.contentBase64, 'base64'));
    // The hits sheet: the current decision, and the correction with who, why and what it was first.
    const exported = XLSX.utils.sheet_to_json<Record<string, string>>(wb.Sheets.Hits!).find((h) => h['Entry ID'] === 'W-1');
    expect(exported).toMatchObject({ Decision: 'Not the same person' });
    expect(exported!.Correction).toMatch(new RegExp(`^corrected by ${SUPERVISOR.username} at .* \\(fingerprint report withdrawn\\); was Not the same person by ${OFFICER.username} at .*: no resemblance$`));
    d.engine.close();
  });

  it('refuses an undecided hit, and once corrected the officer can no longer change it', async () => {
    const d = await desk();
    const s = await d.hitOn(SOMCHAI, 'W-1');
    expect((await refusal(d.supervisor.call('screening.correct', { hitId: s.hit.hitId!, decision: 'confirmed', reason: 'r' }))).reason).toBe('hit.notDecided');
    await d.officer.call('screening.decide', { hitId: s.hit.hitId!, decision: 'confirmed' });
    const r = await d.supervisor.call('screening.correct', { hitId: s.hit.hitId!, decision: 'not-same-person', reason: 'twin brother, checked' });
    expect(r.warnings).toEqual([]);
    expect((await refusal(d.officer.call('screening.decide', { hitId: s.hit.hitId!, decision: 'confirmed' }))).reason).toBe('hit.correctedBySupervisor');
    // The recorded crossing follows the corrected (current) decision.
    await d.officer.call('crossings.record', { screeningId: s.screeningId, direction: 'exit', outcome: 'passed' });
    d.engine.close();
  });

  it('gives no warning when a confirmed wanted hit ended as held, or the list is not a wanted list', async () => {
    const wanted = await desk('wanted');
    const held = await wanted.hitOn(SOMCHAI, 'W-1');
    await wanted.officer.call('screening.decide', { hitId: held.hit.hitId!, decision: 'not-same-person' });
    await wanted.officer.call('crossings.record', { screeningId: held.screeningId, direction: 'entry', outcome: 'held' });
    expect((await wanted.supervisor.call('screening.correct', { hitId: held.hit.hitId!, decision: 'confirmed', reason: 'seen on camera' })).warnings).toEqual([]);
    wanted.engine.close();
    const d = await desk('monitor');
    const s = await d.hitOn(SOMCHAI, 'W-1');
    await d.officer.call('screening.decide', { hitId: s.hit.hitId!, decision: 'not-same-person' });
    await d.officer.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' });
    expect((await d.supervisor.call('screening.correct', { hitId: s.hit.hitId!, decision: 'confirmed', reason: 'seen on camera' })).warnings).toEqual([]);
    d.engine.close();
  });
});

describe('four eyes at the desk', () => {
  it('is a per-list setting only supervisors change, audited', async () => {
    const d = await desk();
    expect((await d.officer.call('watchlists.list'))[0]!.clearanceApproval).toBe(false);
    expect((await refusal(d.officer.call('watchlists.setClearanceApproval', { listId: d.listId, required: true }))).code).toBe('forbidden');
    expect((await d.supervisor.call('watchlists.setClearanceApproval', { listId: d.listId, required: true })).clearanceApproval).toBe(true);
    expect((await d.audit('list.setClearanceApproval'))[0]).toMatchObject({ actorName: SUPERVISOR.username, subject: d.listId, details: { from: false, to: true } });
    d.engine.close();
  });

  it('refuses to clear a strong hit without approval, with the officer’s own account, a non-supervisor or a wrong password; records it approved with both names', async () => {
    const d = await desk();
    await d.supervisor.call('watchlists.setClearanceApproval', { listId: d.listId, required: true });
    const s = await d.hitOn(SOMCHAI, 'W-1');
    expect(s.hit).toMatchObject({ band: 'strong', clearanceNeedsApproval: true });
    const hitId = s.hit.hitId!;
    const decide = (approval?: { username: string; password: string }) =>
      d.officer.call('screening.decide', { hitId, decision: 'not-same-person', note: 'different person', approval });

    const none = await refusal(decide());
    expect(none).toMatchObject({ code: 'conflict', reason: 'hit.approvalRequired' });
    expect((await refusal(decide(OFFICER))).reason).toBe('approval.sameAsOfficer');
    expect((await refusal(decide(AUDITOR))).reason).toBe('approval.notSupervisor');
    const wrong = await refusal(decide({ username: SUPERVISOR.username, password: 'not the password' }));
    expect(wrong).toMatchObject({ code: 'bad_input', reason: 'approval.wrongCredentials' });
    expect((await refusal(decide({ username: 'nobody.here', password: 'whatever it is' }))).reason).toBe('approval.wrongCredentials');
    // The officer's session is untouched by the refusals, and the hit is still undecided.
    expect((await d.officer.call('app.status')).user?.username).toBe(OFFICER.username);
    expect((await d.auditor.call('crossings.list', {})).total).toBe(0);
    // Confirming needs no approval.
    expect((await d.officer.call('screening.decide', { hitId, decision: 'confirmed' })).decision).toBe('confirmed');

    const approved = await decide(SUPERVISOR);
    expect(approved).toMatchObject({ decision: 'not-same-person', decidedBy: OFFICER.username, approvedBy: SUPERVISOR.username });
    const users = await d.admin.call('users.list');
    const idOf = (name: string) => users.find((u) => u.username === name)!.id;
    const [row] = await d.audit('hit.decide');
    expect(row).toMatchObject({ actorId: idOf(OFFICER.username), subject: hitId, details: { decision: 'not-same-person', approvedBy: idOf(SUPERVISOR.username) } });
    // The failed approvals are in the trail, under the account they tried.
    const fails = await d.audit('approval.fail');
    expect(fails.map((f) => f.actorId)).toEqual([null, idOf(SUPERVISOR.username)]);
    expect(fails[1]!.details).toMatchObject({ officerId: idOf(OFFICER.username), failures: 1 });
    // The supervisor is still signed in as themselves, and the officer still the officer.
    expect((await d.supervisor.call('app.status')).user?.username).toBe(SUPERVISOR.username);
    expect((await d.officer.call('app.status')).user?.username).toBe(OFFICER.username);
    d.engine.close();
  });

  it('takes the approver’s supervisor role from signed rows only: an officer who edits the users table cannot approve through an accomplice (issue 15 item 13)', async () => {
    const d = await desk();
    await d.supervisor.call('watchlists.setClearanceApproval', { listId: d.listId, required: true });
    const s = await d.hitOn(SOMCHAI, 'W-1');
    const hitId = s.hit.hitId!;
    const users = await d.admin.call('users.list');
    const idOf = (name: string) => users.find((u) => u.username === name)!.id;
    // The officer, holding the database file, makes the auditor (an accomplice) a supervisor in the
    // `users` table; no admin signed that grant.
    const db = d.engine.requireDb();
    db.prepare('UPDATE users SET roles = ? WHERE id = ?').run(JSON.stringify(['auditor', 'supervisor']), idOf(AUDITOR.username));
    const byAccomplice = await refusal(d.officer.call('screening.decide', { hitId, decision: 'not-same-person', note: 'different person', approval: AUDITOR }));
    expect(byAccomplice).toMatchObject({ code: 'bad_input', reason: 'approval.notSupervisor' });
    // The same check guards a list safeguard: the accomplice cannot approve turning four eyes off either.
    const off = await refusal(d.supervisor.call('watchlists.setClearanceApproval', { listId: d.listId, required: false, approval: AUDITOR }));
    expect(off.reason).toBe('approval.notSupervisor');
    // Nor does the officer's own password hash, written over the real supervisor's, pass for the
    // supervisor: the password must unwrap the signing key the trail enrolled for that account.
    const officerHash = (db.prepare('SELECT password_hash FROM users WHERE id = ?').get(idOf(OFFICER.username)) as { password_hash: string }).password_hash;
    db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(officerHash, idOf(SUPERVISOR.username));
    const forged = await refusal(d.officer.call('screening.decide', { hitId, decision: 'not-same-person', approval: { username: SUPERVISOR.username, password: OFFICER.password } }));
    expect(forged).toMatchObject({ code: 'bad_input', reason: 'signing.keyMismatch' });
    expect((await d.audit('approval.refusedUntrusted'))[0]).toMatchObject({ actorId: null, subject: hitId, details: { officerId: idOf(OFFICER.username), approverId: idOf(SUPERVISOR.username) } });
    expect((await d.officer.call('watchlists.list'))[0]!.clearanceApproval).toBe(true);
    expect(await d.audit('hit.decide')).toEqual([]);
    d.engine.close();
  });

  it('counts wrong approval passwords toward the supervisor’s sign-in lockout', async () => {
    const d = await desk();
    await d.supervisor.call('watchlists.setClearanceApproval', { listId: d.listId, required: true });
    const s = await d.hitOn(SOMCHAI, 'W-1');
    const wrong = { username: SUPERVISOR.username, password: 'a wrong guess' };
    // Failed sign-ins and failed approvals share one counter.
    const other = settledClient(d.engine);
    for (let i = 0; i < 2; i++) expect((await refusal(other.call('auth.signIn', wrong))).reason).toBe('auth.wrongCredentials');
    for (let i = 0; i < LOCKOUT_THRESHOLD - 3; i++) {
      expect((await refusal(d.officer.call('screening.decide', { hitId: s.hit.hitId!, decision: 'not-same-person', approval: wrong }))).reason).toBe('approval.wrongCredentials');
    }
    const locked = await refusal(d.officer.call('screening.decide', { hitId: s.hit.hitId!, decision: 'not-same-person', approval: wrong }));
    expect(locked).toMatchObject({ code: 'locked', reason: 'approval.locked' });
    // Locked now even with the right password, for approvals and for signing in.
    expect((await refusal(d.officer.call('screening.decide', { hitId: s.hit.hitId!, decision: 'not-same-person', approval: SUPERVISOR }))).reason).toBe('approval.locked');
    expect((await refusal(other.call('auth.signIn', SUPERVISOR))).code).toBe('locked');
    expect((await d.admin.call('users.list')).find((u) => u.username === SUPERVISOR.username)!.lockedUntil).not.toBeNull();
    expect(await d.audit('auth.lockout')).toHaveLength(1);
    d.engine.close();
  });

  it('applies an earlier clearance of a strong hit only with approval; needs none when the setting is off or the hit not strong; a corrector cannot clear alone what they screened', async () => {
    const d = await desk();
    const first = await d.hitOn(SOMCHAI, 'W-1');
    expect(first.hit.clearanceNeedsApproval).toBe(false);
    await d.officer.call('screening.decide', { hitId: first.hit.hitId!, decision: 'not-same-person', note: 'not him' });
    await d.supervisor.call('watchlists.setClearanceApproval', { listId: d.listId, required: true });
    const again = await d.hitOn(SOMCHAI, 'W-1');
    expect(again.hit.previousClearance?.hitId).toBe(first.hit.hitId);
    expect((await refusal(d.officer.call('screening.applyPrevious', { hitId: again.hit.hitId! }))).reason).toBe('hit.approvalRequired');
    const applied = await d.officer.call('screening.applyPrevious', { hitId: again.hit.hitId!, approval: SUPERVISOR });
    expect(applied).toMatchObject({ decision: 'not-same-person', repeatsHitId: first.hit.hitId, approvedBy: SUPERVISOR.username });
    expect((await d.audit('hit.decide'))[0]!.details).toMatchObject({ repeatsHitId: first.hit.hitId, approvedBy: expect.any(String) });

    // A hit below strong is cleared without approval.
    await d.supervisor.call('watchlists.setSettings', { listId: d.listId, thresholds: { strong: 1, review: 0.5, weak: 0.4 } });
    const review = await d.hitOn({ fullName: 'Somchay Testpersen', documentNumber: 'Q1', documentIssuer: 'THA' }, 'W-1');
    expect(review.hit).toMatchObject({ band: 'review', clearanceNeedsApproval: false });
    expect((await d.officer.call('screening.decide', { hitId: review.hit.hitId!, decision: 'not-same-person' })).approvedBy).toBeNull();
    await d.supervisor.call('watchlists.setSettings', { listId: d.listId, thresholds: null });

    // The setup account holds every role: as the officer who screened, it may not clear by correction alone.
    const own = await d.admin.call('screening.screen', { traveler: SOMCHAI });
    const ownHit = own.hits.find((h) => h.entryId === 'W-1')!;
    await d.admin.call('screening.decide', { hitId: ownHit.hitId!, decision: 'confirmed' });
    expect((await refusal(d.admin.call('screening.correct', { hitId: ownHit.hitId!, decision: 'not-same-person', reason: 'mine' }))).reason).toBe('approval.sameAsOfficer');
    expect((await d.supervisor.call('screening.correct', { hitId: ownHit.hitId!, decision: 'not-same-person', reason: 'checked by a second person' })).hit.decision).toBe('not-same-person');
    d.engine.close();
  });
});

describe('retention', () => {
  it('forgets the cleared document and the free text of corrections when personal data is purged', async () => {
    let now = Date.parse('2026-11-01T08:00:00Z');
    const { engine, api } = await setUpEngine({ now: () => new Date(now) });
    await api.call('watchlists.import', { listName: 'Police warrants', kind: 'wanted', fileName: 'w.csv', contentBase64: Buffer.from(V1).toString('base64') });
    await api.call('settings.update', { retentionDays: 1 });
    const s = await api.call('screening.screen', { traveler: SOMCHAI });
    const hitId = s.hits.find((h) => h.entryId === 'W-1')!.hitId!;
    await api.call('screening.decide', { hitId, decision: 'confirmed', note: 'looks like him' });
    await api.call('users.create', { ...SUPERVISOR, roles: ['supervisor'] });
    const supervisor = settledClient(engine);
    await supervisor.call('auth.signIn', SUPERVISOR);
    await supervisor.call('screening.correct', { hitId, decision: 'not-same-person', reason: 'his brother, checked the ID card' });
    await api.call('crossings.record', { screeningId: s.screeningId, direction: 'entry', outcome: 'passed' });
    expect((await api.call('screening.screen', { traveler: SOMCHAI })).hits[0]!.previousClearance?.hitId).toBe(hitId);

    now += 3 * 86_400_000;
    await api.call('auth.signIn', { username: 'admin', password: PASSWORD });
    await api.call('retention.purge');
    const after = await api.call('screening.screen', { traveler: SOMCHAI });
    expect(after.hits.find((h) => h.entryId === 'W-1')!.previousClearance).toBeNull();
    const [c] = (await api.call('crossings.list', {})).crossings;
    expect(c!.hits[0]).toMatchObject({ decision: 'not-same-person', correction: { reason: '', original: { decision: 'confirmed', note: null, decidedBy: 'admin' } } });
    engine.close();
  });
});
