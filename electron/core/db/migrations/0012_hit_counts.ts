/**
 * Migration 12 (issue 14, the crossings browser's hit filters at a million crossings;
 * electron/core/crossings/plan.ts countOf): how many crossings have a hit meeting a list, band
 * and decision filter, kept as counts instead of read from every matching hit.
 *
 * A filter on hits names some of a hit's three dimensions (list, band, decision); a crossing
 * matches when one of its recorded hits has the named values. For each of the 7 non-empty
 * combinations of dimensions, each crossing is counted once per distinct combination of values
 * among its recorded hits (its "projections"); a dimension left out of a combination is stored
 * as '' (any). So the total of a filter is a sum of the rows with its values and '' elsewhere:
 *
 * - `hit_days (list_id, band, decision, day, n)`: crossings per UTC day (of the crossing's time);
 *   the total of a filter on hits alone (and days);
 * - `hit_day_cols`: the same per day and combination of the crossing's own columns (checkpoint,
 *   officer, direction, outcome, flagged, as `crossing_days`): with filters on those columns, or
 *   an officer's own crossings (`hit_day_cols_officer`: an officer's rows of one key, with n).
 *
 * A hit without a list (none in practice: hits_list_id sets it at insert) counts under list '?'.
 * Kept by two triggers on hits: when a hit is linked to its recorded crossing (0010's
 * crossings_browse_fields sets crossing_id) its projections not already held by another linked
 * hit of the crossing are added; when a linked hit's decision changes (decisions.ts correctHit),
 * its old projections held by no other linked hit are taken away and its new ones not already
 * held are added. The other columns counted never change once a hit is linked (list, band, the
 * crossing's columns), and neither hits nor crossings are deleted (the retention purge blanks
 * texts only). Rows that fall to 0 stay (they add nothing).
 *
 * `hits_time`: the linked hits in time order (crossing_at, crossing_id, then every filtered
 * column): a page in time order of a filter whose own index does not give that order (a list
 * alone, a band alone, ...) reads it until the page is full, and the days a range cuts are
 * counted exactly in it.
 *
 * Backfill: the counts of every linked hit, by the same rule, in one grouping over hits_time
 * (created first, so that the hits' large rows are read once, for the index). At 1,000,000
 * crossings and 120,426 hits (the crossings benchmark's desk): 16-20 s on a shared, loaded 2-core
 * machine (the index about 4 s; most of the rest grouping ~840,000 projections into 424,707 rows
 * of hit_day_cols, 53 MB, and 47 MB for its officer index; hit_days 23,000 rows; hits_time 23 MB).
 */

/** The 7 combinations of (list, band, decision) as a VALUES table (column1..column3: 1 = the dimension is kept). */
const COMBINATIONS = '(VALUES (1,0,0),(0,1,0),(0,0,1),(1,1,0),(1,0,1),(0,1,1),(1,1,1))';
/** The combinations that include the decision. */
const WITH_DECISION = '(VALUES (0,0,1),(1,0,1),(0,1,1),(1,1,1))';
const KEY = 'list_id, band, decision, day';
const COLS = 'checkpoint, officer_id, direction, outcome, flagged';

/**
 * Adds `delta` to the counts of the projections of hit `r` (NEW or OLD) on each combination of
 * `combos` that no other linked hit of the same crossing (screening) shares.
 */
function addProjections(r: 'NEW' | 'OLD', combos: string, delta: 1 | -1): string {
  const values = `CASE WHEN s.column1 THEN coalesce(${r}.list_id, '?') ELSE '' END, CASE WHEN s.column2 THEN ${r}.band ELSE '' END,
      CASE WHEN s.column3 THEN ${r}.decision ELSE '' END, substr(${r}.crossing_at, 1, 10)`;
  const unshared = `NOT EXISTS (SELECT 1 FROM hits o WHERE o.screening_id = ${r}.screening_id AND o.id <> ${r}.id AND o.crossing_id IS NOT NULL
      AND (s.column1 = 0 OR coalesce(o.list_id, '?') = coalesce(${r}.list_id, '?')) AND (s.column2 = 0 OR o.band = ${r}.band)
      AND (s.column3 = 0 OR o.decision = ${r}.decision))`;
  return `
  INSERT INTO hit_day_cols (${KEY}, ${COLS}, n)
    SELECT ${values}, ${r}.checkpoint, ${r}.officer_id, ${r}.direction, ${r}.outcome, ${r}.flagged, ${delta} FROM ${combos} s WHERE ${unshared}
    ON CONFLICT (${KEY}, ${COLS}) DO UPDATE SET n = n + excluded.n;
  INSERT INTO hit_days (${KEY}, n)
    SELECT ${values}, ${delta} FROM ${combos} s WHERE ${unshared}
    ON CONFLICT (${KEY}) DO UPDATE SET n = n + excluded.n;`;
}

export const version = 12;
export const sql = `
CREATE TABLE hit_days (
  list_id TEXT NOT NULL,
  band TEXT NOT NULL,
  decision TEXT NOT NULL,
  day TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (${KEY})
) WITHOUT ROWID;

CREATE TABLE hit_day_cols (
  list_id TEXT NOT NULL,
  band TEXT NOT NULL,
  decision TEXT NOT NULL,
  day TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  officer_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  outcome TEXT NOT NULL,
  flagged INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (${KEY}, ${COLS})
) WITHOUT ROWID;

CREATE INDEX hits_time ON hits(crossing_at, crossing_id, list_id, band, decision, direction, outcome, flagged, officer_id, checkpoint COLLATE NOCASE, top_score)
  WHERE crossing_id IS NOT NULL;

-- One read of the new index (it holds every column counted; the table's rows are large), each
-- hit joined with the 7 combinations.
INSERT INTO hit_day_cols (${KEY}, ${COLS}, n)
  SELECT l, b, d, day, ${COLS}, count(*) FROM (
    SELECT DISTINCT h.crossing_id, CASE WHEN s.column1 THEN coalesce(h.list_id, '?') ELSE '' END AS l, CASE WHEN s.column2 THEN h.band ELSE '' END AS b,
      CASE WHEN s.column3 THEN h.decision ELSE '' END AS d, substr(h.crossing_at, 1, 10) AS day, h.checkpoint, h.officer_id, h.direction, h.outcome, h.flagged
    FROM hits h INDEXED BY hits_time CROSS JOIN ${COMBINATIONS} s WHERE h.crossing_id IS NOT NULL)
  GROUP BY l, b, d, day, ${COLS};
INSERT INTO hit_days (${KEY}, n) SELECT ${KEY}, sum(n) FROM hit_day_cols GROUP BY ${KEY};
CREATE INDEX hit_day_cols_officer ON hit_day_cols(officer_id, ${KEY}, n);

CREATE TRIGGER hit_counts_linked AFTER UPDATE OF crossing_id ON hits
WHEN OLD.crossing_id IS NULL AND NEW.crossing_id IS NOT NULL
BEGIN${addProjections('NEW', COMBINATIONS, 1)}
END;

CREATE TRIGGER hit_counts_decision AFTER UPDATE OF decision ON hits
WHEN OLD.crossing_id IS NOT NULL AND NEW.decision IS NOT OLD.decision
BEGIN${addProjections('OLD', WITH_DECISION, -1)}${addProjections('NEW', WITH_DECISION, 1)}
END;

`;
