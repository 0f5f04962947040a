/**
 * Migration 11 (issue 14, the crossings browser sorted by top score): `crossing_days` also counts
 * by `scored` (1 when the crossing's top_score is above 0, that is when its screening had a hit;
 * 0 otherwise), so that a page deep in top-score order skips the crossings without a hit (most of
 * them: they sort last, or first in ascending order, in time order among themselves) by their
 * counts per day instead of reading the score index up to the offset (plan.ts scorePage). The
 * table is rebuilt from crossings (one pass, grouped) and the crossings trigger recreated to keep
 * the new column: a crossing's top_score is set for good by that trigger at insert (migration 10).
 *
 * `crossings.screening_row`: the rowid of the crossing's screening, set by the same trigger, so
 * that an export of a million crossings reads each screening by its rowid (screenings are written
 * in time order, so in nearly the table's order) instead of through the index of their random
 * UUIDs (one random page per crossing: most of such an export's time). A hint only: VACUUM may
 * renumber rowids, so a reader checks the id too and falls back to it (export-read.ts).
 */
export const version = 11;
export const sql = `
ALTER TABLE crossings ADD COLUMN screening_row INTEGER;
UPDATE crossings SET screening_row = (SELECT s.rowid FROM screenings s WHERE s.id = crossings.screening_id);
DROP TRIGGER crossings_browse_fields;
DROP TABLE crossing_days;
CREATE TABLE crossing_days (
  day TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  officer_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  outcome TEXT NOT NULL,
  flagged INTEGER NOT NULL,
  scored INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, checkpoint, officer_id, direction, outcome, flagged, scored)
) WITHOUT ROWID;
INSERT INTO crossing_days (day, checkpoint, officer_id, direction, outcome, flagged, scored, n)
  SELECT substr(occurred_at, 1, 10), checkpoint, officer_id, direction, outcome, flagged, top_score > 0, count(*) FROM crossings
  GROUP BY substr(occurred_at, 1, 10), checkpoint, officer_id, direction, outcome, flagged, top_score > 0;

CREATE TRIGGER crossings_browse_fields AFTER INSERT ON crossings
BEGIN
  UPDATE crossings SET seq = coalesce(NEW.seq, (SELECT coalesce(max(seq), 0) + 1 FROM crossings)),
    screening_row = (SELECT s.rowid FROM screenings s WHERE s.id = NEW.screening_id),
    top_score = coalesce((SELECT max(h.score) FROM hits h WHERE h.screening_id = NEW.screening_id), 0),
    top_band = (SELECT CASE min(CASE h.band WHEN 'strong' THEN 0 WHEN 'review' THEN 1 ELSE 2 END) WHEN 0 THEN 'strong' WHEN 1 THEN 'review' WHEN 2 THEN 'weak' END
      FROM hits h WHERE h.screening_id = NEW.screening_id)
  WHERE id = NEW.id;
  UPDATE hits SET crossing_id = NEW.id, crossing_at = NEW.occurred_at, direction = NEW.direction, outcome = NEW.outcome, flagged = NEW.flagged,
    officer_id = NEW.officer_id, checkpoint = NEW.checkpoint, top_score = (SELECT max(h.score) FROM hits h WHERE h.screening_id = NEW.screening_id)
  WHERE screening_id = NEW.screening_id;
  INSERT INTO crossing_days (day, checkpoint, officer_id, direction, outcome, flagged, scored, n)
  VALUES (substr(NEW.occurred_at, 1, 10), NEW.checkpoint, NEW.officer_id, NEW.direction, NEW.outcome, NEW.flagged,
    (SELECT top_score > 0 FROM crossings WHERE id = NEW.id), 1)
  ON CONFLICT (day, checkpoint, officer_id, direction, outcome, flagged, scored) DO UPDATE SET n = n + 1;
END;
`;
