/**
 * Migration 8 (issue 16, the centre): the desk's outbox and the marks of lists the centre publishes.
 *
 * - `central_outbox`: what waits to be pushed to the centre (central/push.ts), oldest first. Triggers
 *   fill it only once the desk has joined a centre (the setting `central.deskId` exists); rows made
 *   before that are enqueued once at joining (central/outbox.ts `enqueueBackfill`). A row names what
 *   to push (`ref`: a crossing id, an audit seq, a user id, or a hit event's global id); a hit event
 *   carries its snapshot in `payload` (JSON), since the hit itself changes later. The push reads the
 *   other rows as they are at push time and deletes its outbox rows only after the centre's COMMIT.
 *   - crossings: every crossing recorded ('crossing', crossing id; the push sends its screening's
 *     traveler, list versions and hits with it);
 *   - audit: every row of the chain ('audit', seq);
 *   - hit_events: a decision changed on a hit whose crossing is recorded (only a supervisor's
 *     correction does that today; a correction is sent once, as its own event, not twice), and
 *     every correction ('hit_event', global id, payload);
 *   - users: an account made, renamed, given other roles or disabled ('user', id; once while waiting).
 *   Local retention (retention.ts) never blanks a crossing still waiting here.
 * - `watchlists.origin` ('local': imported at this desk; 'central': applied from a signed
 *   publication, central/pull.ts), `central_seq` (the publication sequence number applied last) and
 *   `retired_at` (retired by the centre: no longer screened, still readable for audit).
 */
export const version = 8;
export const sql = `
CREATE TABLE central_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('crossing','hit_event','audit','user')),
  ref TEXT NOT NULL,
  payload TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX central_outbox_ref ON central_outbox(kind, ref);

CREATE TRIGGER central_outbox_crossing AFTER INSERT ON crossings
WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'central.deskId')
BEGIN
  INSERT INTO central_outbox (kind, ref, created_at) VALUES ('crossing', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER central_outbox_audit AFTER INSERT ON audit
WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'central.deskId')
BEGIN
  INSERT INTO central_outbox (kind, ref, created_at) VALUES ('audit', CAST(NEW.seq AS TEXT), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER central_outbox_hit_decision AFTER UPDATE OF decision ON hits
WHEN NEW.decision IS NOT OLD.decision
  AND EXISTS (SELECT 1 FROM settings WHERE key = 'central.deskId')
  AND EXISTS (SELECT 1 FROM crossings WHERE screening_id = NEW.screening_id)
  AND NOT EXISTS (SELECT 1 FROM hit_corrections WHERE hit_id = NEW.id AND decision = NEW.decision AND corrected_at IS NEW.decided_at)
BEGIN
  INSERT INTO central_outbox (kind, ref, payload, created_at) VALUES (
    'hit_event', lower(hex(randomblob(16))),
    json_object('hitId', NEW.id, 'kind', 'decision', 'decision', NEW.decision, 'note', NEW.note, 'actorId', NEW.decided_by,
      'at', coalesce(NEW.decided_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      'details', json_object('previousDecision', OLD.decision, 'approvedBy', NEW.approved_by, 'repeatsHitId', NEW.repeats_hit_id)),
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER central_outbox_hit_correction AFTER INSERT ON hit_corrections
WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'central.deskId')
BEGIN
  INSERT INTO central_outbox (kind, ref, payload, created_at) VALUES (
    'hit_event', NEW.id,
    json_object('hitId', NEW.hit_id, 'kind', 'correction', 'decision', NEW.decision, 'note', NEW.reason, 'actorId', NEW.corrected_by,
      'at', NEW.corrected_at,
      'details', json_object('previousDecision', NEW.previous_decision, 'previousNote', NEW.previous_note, 'previousBy', NEW.previous_by,
        'previousAt', NEW.previous_at, 'previousApprovedBy', NEW.previous_approved_by)),
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER central_outbox_user_new AFTER INSERT ON users
WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'central.deskId')
  AND NOT EXISTS (SELECT 1 FROM central_outbox WHERE kind = 'user' AND ref = NEW.id)
BEGIN
  INSERT INTO central_outbox (kind, ref, created_at) VALUES ('user', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER central_outbox_user_changed AFTER UPDATE OF username, roles, disabled ON users
WHEN (NEW.username IS NOT OLD.username OR NEW.roles IS NOT OLD.roles OR NEW.disabled IS NOT OLD.disabled)
  AND EXISTS (SELECT 1 FROM settings WHERE key = 'central.deskId')
  AND NOT EXISTS (SELECT 1 FROM central_outbox WHERE kind = 'user' AND ref = NEW.id)
BEGIN
  INSERT INTO central_outbox (kind, ref, created_at) VALUES ('user', NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

ALTER TABLE watchlists ADD COLUMN origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local','central'));
ALTER TABLE watchlists ADD COLUMN central_seq INTEGER;
ALTER TABLE watchlists ADD COLUMN retired_at TEXT;
`;
