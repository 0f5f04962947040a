/**
 * The printed hit report (issue 11): `screening.report` gives what the paper for the police needs
 * (traveler, entry, explanation, decision and officer, list name and version, times in the
 * checkpoint's time zone) with the hash of the audit row that recorded the decision; it is refused
 * for a hit not decided or not found and for roles other than officer and supervisor, and is
 * audited as `report.print` with ids only.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/client';
import type { Engine } from '../../electron/core/api/engine';
import { importFixture, settledClient, setUpEngine } from './helpers';

/** 15:30 UTC is 22:30 in Bangkok, the checkpoint's time zone. */
const NOW = new Date('2026-12-06T15:30:00Z');
const SOMPONG = { surname: 'THOTSOBDEE', givenNames: 'SOMPONG', dateOfBirth: '1987-03-14', nationality: 'THA', sex: 'M' as const, documentNumber: 'AA0004711' };

async function as(engine: Engine, api: ApiClient, username: string, roles: ('officer' | 'supervisor' | 'admin' | 'auditor')[]): Promise<ApiClient> {
  const password = `report desk ${roles.join(' ')} 5`;
  await api.call('users.create', { username, password, roles });
  const c = settledClient(engine);
  await c.call('auth.signIn', { username, password });
  return c;
}

describe('screening.report: the printable hit report', () => {
  it('holds traveler, entry, decision, officer, list version and the hash of the decision audit row; audited without names', async () => {
    const { engine, api } = await setUpEngine({ now: () => NOW });
    await importFixture(api, 'warrants-th.csv', 'Police warrants');
    const s = await api.call('screening.screen', { traveler: SOMPONG });
    const hitId = s.hits[0]!.hitId!;

    await expect(api.call('screening.report', { hitId })).rejects.toMatchObject({ code: 'conflict', reason: 'report.notDecided' });
    await expect(api.call('screening.report', { hitId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found', reason: 'hit.notFound' });

    await api.call('screening.decide', { hitId, decision: 'confirmed', note: 'photo and passport match' });
    const decided = (await api.call('audit.list', { action: 'hit.decide', subject: hitId })).entries[0]!;
    const r = await api.call('screening.report', { hitId });
    expect(r.audit).toEqual({ seq: decided.seq, hash: decided.hash });
    expect(r).toMatchObject({
      checkpoint: 'Mae Sai', timeZone: 'Asia/Bangkok', screeningId: s.screeningId,
      screenedAt: { utc: NOW.toISOString(), local: '2026-12-06 22:30:00' },
      traveler: { surname: 'THOTSOBDEE', givenNames: 'SOMPONG', documentNumber: 'AA0004711' },
      list: { name: 'Police warrants', kind: 'wanted', versionNumber: 1, sourceDate: '2024-03-01', importedAt: { local: '2026-12-06 22:30:00' } },
      decision: { decision: 'confirmed', note: 'photo and passport match', officer: 'admin', decidedAt: { local: '2026-12-06 22:30:00' } },
      crossing: null, printedBy: 'admin', printedAt: { local: '2026-12-06 22:30:00' },
    });
    expect(r.list.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.hit).toMatchObject({ hitId, band: 'strong', decision: 'confirmed', entry: { reference: 'จ.101/2567' } });
    expect(r.hit.explanation.summary).toBeTruthy();

    // Once the crossing is recorded the report says so; the decision's row is still the one hashed.
    await api.call('crossings.record', { screeningId: s.screeningId, direction: 'exit', outcome: 'held' });
    const again = await api.call('screening.report', { hitId });
    expect(again.crossing).toMatchObject({ direction: 'exit', outcome: 'held', officer: 'admin', occurredAt: { local: '2026-12-06 22:30:00' } });
    expect(again.audit).toEqual(r.audit);

    const printed = (await api.call('audit.list', { action: 'report.print' })).entries;
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatchObject({ subject: hitId, details: { screeningId: s.screeningId, decisionSeq: decided.seq } });
    expect(JSON.stringify(printed)).not.toMatch(/SOMPONG|THOTSOBDEE|สมปอง|AA0004711|photo/i);
    expect((await api.call('audit.verify')).ok).toBe(true);
    engine.close();
  });

  it('is for officers and supervisors only', async () => {
    const { engine, api } = await setUpEngine({ now: () => NOW });
    await importFixture(api, 'warrants-th.csv', 'Police warrants');
    const officer = await as(engine, api, 'wichai', ['officer']);
    const s = await officer.call('screening.screen', { traveler: SOMPONG });
    const hitId = s.hits[0]!.hitId!;
    await officer.call('screening.decide', { hitId, decision: 'not-same-person', note: 'different face' });
    expect((await officer.call('screening.report', { hitId })).decision).toMatchObject({ decision: 'not-same-person', officer: 'wichai' });
    const supervisor = await as(engine, api, 'malee', ['supervisor']);
    expect((await supervisor.call('screening.report', { hitId })).printedBy).toBe('malee');
    for (const [name, role] of [['kanya', 'auditor'], ['prasit', 'admin']] as const) {
      const c = await as(engine, api, name, [role]);
      await expect(c.call('screening.report', { hitId })).rejects.toMatchObject({ code: 'forbidden' });
    }
    engine.close();
  });
});
