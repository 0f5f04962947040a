/**
 * Retention of personal data (Thailand's PDPA): after the configured number of days, the traveler
 * data of screenings and crossings is purged (the traveler snapshot, notes, the traveler's side
 * of each hit's explanation, the crossings browser's search keys of the name and documents). Ids,
 * times, outcomes, scores and decisions stay, and the audit trail, which holds only ids and
 * hashes, is untouched, so its chain still verifies. A crossing still waiting in the outbox for
 * the centre (central/outbox.ts) is kept whole until it has been pushed.
 */
import type { PurgeResult } from '../../shared/contract';
import { appendAudit } from './audit';
import type { DB } from './db/database';
import { dropCrossingSearchKeys } from './crossings/search-keys';

interface StoredExplanation {
  summary?: string;
  matchedName?: string;
  nameScore?: number;
  tokens?: { query: string; entry: string; kind: string; similarity: number }[];
  unmatchedQuery?: string[];
  unmatchedEntry?: string[];
  fields?: { field: string; status: string; effect: number; detail: string }[];
}

/** Keeps the list entry's side of an explanation and blanks the traveler's. */
function scrubExplanation(json: string): string {
  let e: StoredExplanation;
  try {
    e = JSON.parse(json) as StoredExplanation;
  } catch {
    e = {};
  }
  return JSON.stringify({
    summary: '',
    matchedName: e.matchedName ?? '',
    nameScore: e.nameScore ?? 0,
    tokens: (e.tokens ?? []).map((t) => ({ ...t, query: '' })),
    unmatchedQuery: [],
    unmatchedEntry: e.unmatchedEntry ?? [],
    fields: (e.fields ?? []).map((f) => ({ ...f, detail: '' })),
  });
}

/**
 * Purges personal data from screenings (and their hits and crossings) older than `days` days
 * before `now`, in one transaction with its audit row. `days` 0 means keep for ever: nothing is
 * purged, but the call is still audited.
 */
export function purgePersonalData(db: DB, actorId: string, days: number, now: Date): PurgeResult {
  const result = db.transaction((): PurgeResult => {
    if (days <= 0) {
      appendAudit(db, { actorId, action: 'retention.purge', details: { days, cutoff: null, screenings: 0, crossings: 0, hits: 0 } }, now);
      return { cutoff: null, screenings: 0, crossings: 0, hits: 0 };
    }
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    // A crossing still waiting in the outbox (migration 0008) is purged only once the centre has it.
    const ids = (db.prepare(
      `SELECT id FROM screenings WHERE screened_at < ? AND purged_at IS NULL
       AND (crossing_id IS NULL OR NOT EXISTS (SELECT 1 FROM central_outbox o WHERE o.kind = 'crossing' AND o.ref = screenings.crossing_id))`,
    ).all(cutoff) as { id: string }[]).map((r) => r.id);
    let hits = 0;
    let crossings = 0;
    const scrubHit = db.prepare('UPDATE hits SET explanation = ?, note = NULL WHERE id = ?');
    const hitRows = db.prepare('SELECT id, explanation FROM hits WHERE screening_id = ?');
    // The desk's memory of the traveler's document goes, and the free text of corrections (decisions.ts).
    const forgetClearance = db.prepare('DELETE FROM clearances WHERE hit_id = ?');
    const scrubCorrections = db.prepare("UPDATE hit_corrections SET reason = '', previous_note = NULL WHERE hit_id = ?");
    const scrubCrossing = db.prepare('UPDATE crossings SET note = NULL WHERE screening_id = ?');
    const scrubScreening = db.prepare("UPDATE screenings SET traveler = '{}', purged_at = ? WHERE id = ?");
    for (const id of ids) {
      for (const h of hitRows.all(id) as { id: string; explanation: string }[]) {
        scrubHit.run(scrubExplanation(h.explanation), h.id);
        forgetClearance.run(h.id);
        scrubCorrections.run(h.id);
        hits++;
      }
      crossings += scrubCrossing.run(id).changes;
      // The browser's search keys of the traveler's name and documents (crossings/search-keys.ts).
      dropCrossingSearchKeys(db, id);
      scrubScreening.run(now.toISOString(), id);
    }
    db.prepare("INSERT INTO settings (key, value) VALUES ('retention.lastPurgeAt', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(now.toISOString());
    appendAudit(db, { actorId, action: 'retention.purge', details: { days, cutoff, screenings: ids.length, crossings, hits } }, now);
    return { cutoff, screenings: ids.length, crossings, hits };
  })();
  // Purged pages are overwritten (secure_delete); fold the WAL back so old page images do not linger there.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return result;
}
