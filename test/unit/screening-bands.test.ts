/**
 * Each list's own bands apply before the hits are cut to `top` (DESIGN.md section 5.7): entries
 * of a list with strict bands, scoring below its review threshold, never hide a review hit of a
 * list with the default bands.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/client';
import { DEFAULT_THRESHOLDS } from '../../shared/domain';
import { setUpEngine } from './helpers';

const TRAVELER = { fullName: 'SOMCHAI RATTANAPORN', dateOfBirth: '1980-05-05' };

async function importCsv(api: ApiClient, listName: string, csv: string) {
  await api.call('watchlists.import', { listName, kind: 'wanted', fileName: `${listName}.csv`, contentBase64: Buffer.from(csv).toString('base64') });
  return (await api.call('watchlists.list')).find((l) => l.name === listName)!;
}

describe('screening over lists with different bands', () => {
  it("a strict list's near-namesakes do not crowd out another list's review hit", async () => {
    const { api } = await setUpEngine();
    // List A: the traveler's very name, born two to four years from him, 48 times over (name 1,
    // birth year -0.06 to -0.12): above the default review threshold, below A's own (0.95).
    const rows = ['id,name,date of birth'];
    for (let i = 0; i < 48; i++) {
      const year = 1980 + (i % 2 ? 1 : -1) * (2 + (i % 3));
      rows.push(`A-${i},SOMCHAI RATTANAPORN,${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + Math.floor(i / 12)).padStart(2, '0')}`);
    }
    const strict = await importCsv(api, 'Strict', `${rows.join('\n')}\n`);
    await api.call('watchlists.setSettings', { listId: strict.id, thresholds: { strong: 0.98, review: 0.95 } });
    // List B, default bands: a different given name, the same date of birth: a review hit.
    await importCsv(api, 'Default', 'id,name,date of birth\nB-1,SOMSAK RATTANAPORN,1980-05-05\n');

    const { hits } = await api.call('screening.screen', { traveler: TRAVELER });
    const b = hits.find((h) => h.entryId === 'B-1');
    expect(b).toBeDefined();
    expect(b!.band).toBe('review');
    expect(b!.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.review);
    // A's entries score above B's but are only weak under A's bands: the hit that needs a decision comes first.
    const a = hits.filter((h) => h.list === 'Strict');
    expect(a.length).toBeGreaterThan(0);
    expect(a.every((h) => h.band === 'weak' && h.score > b!.score && h.score < 0.95)).toBe(true);
    expect(hits[0]!.entryId).toBe('B-1');
    expect(hits).toHaveLength(10);
  });
});
