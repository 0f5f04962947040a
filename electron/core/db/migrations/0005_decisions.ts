/**
 * Migration 5 (issue 11, the officer's desk): decisions with their history.
 * - `clearances`: each hit cleared (`not-same-person`) with the traveler's document (issuing
 *   state + number) and the identity of the entry it was cleared against (list, external id and a
 *   hash of the entry's names, date of birth, sex, nationalities and documents), so that the same
 *   document screened again against the same, unchanged entry shows the earlier clearance.
 * - `hit_corrections`: a supervisor's correction of a hit's decision; the row keeps the decision,
 *   note, officer and time it replaced (the hit itself holds the current decision).
 * - `hits.approved_by`: the supervisor who approved clearing a strong hit at the desk (four eyes);
 *   `hits.repeats_hit_id`: the earlier hit whose clearance this decision repeats.
 * - `watchlists.clearance_approval`: clearing a strong hit on the list needs a supervisor's approval.
 */
export const version = 5;
export const sql = `
ALTER TABLE hits ADD COLUMN approved_by TEXT REFERENCES users(id);
ALTER TABLE hits ADD COLUMN repeats_hit_id TEXT REFERENCES hits(id);
ALTER TABLE watchlists ADD COLUMN clearance_approval INTEGER NOT NULL DEFAULT 0;

CREATE TABLE clearances (
  hit_id TEXT PRIMARY KEY REFERENCES hits(id),
  list_id TEXT NOT NULL REFERENCES watchlists(id),
  external_id TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  document TEXT NOT NULL
);
CREATE INDEX clearances_lookup ON clearances(list_id, external_id, document);

CREATE TABLE hit_corrections (
  id TEXT PRIMARY KEY,
  hit_id TEXT NOT NULL REFERENCES hits(id),
  corrected_at TEXT NOT NULL,
  corrected_by TEXT NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  decision TEXT NOT NULL,
  previous_decision TEXT NOT NULL,
  previous_note TEXT,
  previous_by TEXT REFERENCES users(id),
  previous_at TEXT,
  previous_approved_by TEXT REFERENCES users(id)
);
CREATE INDEX hit_corrections_hit ON hit_corrections(hit_id, corrected_at);
`;
