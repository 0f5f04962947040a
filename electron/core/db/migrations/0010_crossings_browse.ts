/**
 * Migration 10 (issue 14, the crossings browser; electron/core/crossings/query.ts): what filtering,
 * sorting and searching a million crossings in the engine needs.
 *
 * - `crossings.seq`: a stable number of each crossing (unique; numbers the search tables' rows:
 *   the implicit rowid may change on VACUUM). Set by a trigger at insert.
 * - `crossings.top_score`, `top_band`: the best hit's score (0 without hits) and the strongest
 *   band (null without hits), for sorting by score. Hits never change their score, and they are
 *   stored before their crossing, so the insert trigger sets both for good.
 * - `crossings.document_key`, `national_id_key`: the traveler's passport number and national ID
 *   normalized (crossings/search-keys.ts documentSearchKey), for the exact document search.
 * - `crossing_names (seq, name_keys, match_keys)`: the retrieval keys of the traveler's name
 *   (search-keys.ts; space-separated), also rows of `crossing_name_keys (key, seq)`, the name
 *   search's index; and the matcher's stored keys of the names (matching/keys.ts), with which the
 *   search scores its candidates without normalizing their names again. Kept apart from
 *   `crossings` so that its rows stay small (every filter reads them).
 *   Personal data, like the document keys: the retention purge deletes and blanks them (retention.ts).
 * - `hits.list_id`: the hit's list (set by a trigger at insert); once its crossing is recorded,
 *   the crossing's id, time and the columns the filters and sorts read (`crossing_id`,
 *   `crossing_at`, `direction`, `outcome`, `flagged`, `officer_id`, `checkpoint`, `top_score`;
 *   set by the crossings trigger; a crossing never changes them), so that a list, band or
 *   decision filter, with any other filter and sort, is answered from an index of hits alone.
 * - `crossing_days`: how many crossings per UTC day and combination of checkpoint, officer,
 *   direction, outcome and flagged (kept by the crossings trigger; crossings are never deleted),
 *   so that a total over any of those filters is a sum over days, not a scan of a million rows.
 * - Indexes, each holding every column a filter reads, so that no filter reads the table: by
 *   time (`crossings_time`: occurred_at, id, ...), and one per filtered or sorted column (that
 *   column, occurred_at, id, ...; flagged: the flagged crossings only); the document indexes;
 *   three indexes of recorded hits (list, band, decision first, then every column).
 *
 * The backfill: the SQL below fills seq, top_score, top_band and the hits' columns; `backfill`
 * (run by migrate after the SQL, in the same transaction) computes the search keys of every
 * crossing not purged (crossings/search-keys.ts backfillCrossingSearchKeys).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { backfillCrossingSearchKeys } from '../../crossings/search-keys';

export const version = 10;
export const sql = `
ALTER TABLE crossings ADD COLUMN seq INTEGER;
ALTER TABLE crossings ADD COLUMN top_score REAL NOT NULL DEFAULT 0;
ALTER TABLE crossings ADD COLUMN top_band TEXT;
ALTER TABLE crossings ADD COLUMN document_key TEXT;
ALTER TABLE crossings ADD COLUMN national_id_key TEXT;
ALTER TABLE hits ADD COLUMN list_id TEXT;
ALTER TABLE hits ADD COLUMN crossing_id TEXT;
ALTER TABLE hits ADD COLUMN crossing_at TEXT;
ALTER TABLE hits ADD COLUMN direction TEXT;
ALTER TABLE hits ADD COLUMN outcome TEXT;
ALTER TABLE hits ADD COLUMN flagged INTEGER;
ALTER TABLE hits ADD COLUMN officer_id TEXT;
ALTER TABLE hits ADD COLUMN checkpoint TEXT;
ALTER TABLE hits ADD COLUMN top_score REAL;

CREATE TABLE crossing_days (
  day TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  officer_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  outcome TEXT NOT NULL,
  flagged INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, checkpoint, officer_id, direction, outcome, flagged)
) WITHOUT ROWID;

UPDATE crossings SET seq = rowid,
  top_score = coalesce((SELECT max(h.score) FROM hits h WHERE h.screening_id = crossings.screening_id), 0),
  top_band = (SELECT CASE min(CASE h.band WHEN 'strong' THEN 0 WHEN 'review' THEN 1 ELSE 2 END) WHEN 0 THEN 'strong' WHEN 1 THEN 'review' WHEN 2 THEN 'weak' END
    FROM hits h WHERE h.screening_id = crossings.screening_id);
UPDATE hits SET list_id = (SELECT v.list_id FROM entries e JOIN list_versions v ON v.id = e.version_id WHERE e.id = hits.entry_id);
UPDATE hits SET crossing_id = c.id, crossing_at = c.occurred_at, direction = c.direction, outcome = c.outcome, flagged = c.flagged,
  officer_id = c.officer_id, checkpoint = c.checkpoint, top_score = c.top_score
  FROM crossings c WHERE c.screening_id = hits.screening_id;
INSERT INTO crossing_days (day, checkpoint, officer_id, direction, outcome, flagged, n)
  SELECT substr(occurred_at, 1, 10), checkpoint, officer_id, direction, outcome, flagged, count(*) FROM crossings
  GROUP BY substr(occurred_at, 1, 10), checkpoint, officer_id, direction, outcome, flagged;

CREATE TRIGGER hits_list_id AFTER INSERT ON hits
WHEN NEW.list_id IS NULL
BEGIN
  UPDATE hits SET list_id = (SELECT v.list_id FROM entries e JOIN list_versions v ON v.id = e.version_id WHERE e.id = NEW.entry_id) WHERE id = NEW.id;
END;

CREATE TRIGGER crossings_browse_fields AFTER INSERT ON crossings
BEGIN
  UPDATE crossings SET seq = coalesce(NEW.seq, (SELECT coalesce(max(seq), 0) + 1 FROM crossings)),
    top_score = coalesce((SELECT max(h.score) FROM hits h WHERE h.screening_id = NEW.screening_id), 0),
    top_band = (SELECT CASE min(CASE h.band WHEN 'strong' THEN 0 WHEN 'review' THEN 1 ELSE 2 END) WHEN 0 THEN 'strong' WHEN 1 THEN 'review' WHEN 2 THEN 'weak' END
      FROM hits h WHERE h.screening_id = NEW.screening_id)
  WHERE id = NEW.id;
  UPDATE hits SET crossing_id = NEW.id, crossing_at = NEW.occurred_at, direction = NEW.direction, outcome = NEW.outcome, flagged = NEW.flagged,
    officer_id = NEW.officer_id, checkpoint = NEW.checkpoint, top_score = (SELECT max(h.score) FROM hits h WHERE h.screening_id = NEW.screening_id)
  WHERE screening_id = NEW.screening_id;
  INSERT INTO crossing_days (day, checkpoint, officer_id, direction, outcome, flagged, n)
  VALUES (substr(NEW.occurred_at, 1, 10), NEW.checkpoint, NEW.officer_id, NEW.direction, NEW.outcome, NEW.flagged, 1)
  ON CONFLICT (day, checkpoint, officer_id, direction, outcome, flagged) DO UPDATE SET n = n + 1;
END;

CREATE TABLE crossing_names (
  seq INTEGER PRIMARY KEY,
  name_keys TEXT NOT NULL,
  match_keys TEXT
);
CREATE TABLE crossing_name_keys (
  key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (key, seq)
) WITHOUT ROWID;

CREATE UNIQUE INDEX crossings_seq ON crossings(seq);
DROP INDEX crossings_time;
CREATE INDEX crossings_time ON crossings(occurred_at, id, direction, outcome, flagged, officer_id, checkpoint COLLATE NOCASE, top_score);
CREATE INDEX crossings_score ON crossings(top_score, occurred_at, id, direction, outcome, flagged, officer_id, checkpoint COLLATE NOCASE);
CREATE INDEX crossings_officer ON crossings(officer_id, occurred_at, id, direction, outcome, flagged, checkpoint COLLATE NOCASE, top_score);
CREATE INDEX crossings_checkpoint ON crossings(checkpoint COLLATE NOCASE, occurred_at, id, direction, outcome, flagged, officer_id, top_score);
CREATE INDEX crossings_direction ON crossings(direction, occurred_at, id, outcome, flagged, officer_id, checkpoint COLLATE NOCASE, top_score);
CREATE INDEX crossings_outcome ON crossings(outcome, occurred_at, id, direction, flagged, officer_id, checkpoint COLLATE NOCASE, top_score);
CREATE INDEX crossings_flagged ON crossings(occurred_at, id, direction, outcome, officer_id, checkpoint COLLATE NOCASE, top_score) WHERE flagged = 1;
CREATE INDEX crossings_document ON crossings(document_key) WHERE document_key IS NOT NULL;
CREATE INDEX crossings_national_id ON crossings(national_id_key) WHERE national_id_key IS NOT NULL;
CREATE INDEX hits_list ON hits(list_id, band, decision, crossing_at, crossing_id, direction, outcome, flagged, officer_id, checkpoint COLLATE NOCASE, top_score)
  WHERE crossing_id IS NOT NULL;
CREATE INDEX hits_band ON hits(band, decision, crossing_at, crossing_id, direction, outcome, flagged, officer_id, checkpoint COLLATE NOCASE, top_score)
  WHERE crossing_id IS NOT NULL;
CREATE INDEX hits_decision ON hits(decision, crossing_at, crossing_id, direction, outcome, flagged, officer_id, checkpoint COLLATE NOCASE, top_score)
  WHERE crossing_id IS NOT NULL;
`;

/** Computes the search keys of the crossings recorded before this migration (see the module comment). */
export function backfill(db: Database.Database): void {
  backfillCrossingSearchKeys(db);
}
