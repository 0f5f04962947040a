/**
 * Migration 3: list versions with states (staging, pending approval, published, superseded,
 * rejected), per-list four-eyes publishing, the diff of each version against the one it replaced,
 * a name key on entries for matching re-sorted files by content, and saved column mappings per
 * source (list name + header signature). Touches only tables of migration 1.
 *
 * `list_versions.status` (migration 1, CHECK published/superseded) is kept in step: 'published'
 * exactly when the version is the list's active one; `state` is the full lifecycle.
 */
export const version = 3;
export const sql = `
ALTER TABLE list_versions ADD COLUMN state TEXT NOT NULL DEFAULT 'published'
  CHECK (state IN ('staging','pending','published','superseded','rejected'));
UPDATE list_versions SET state = status;
ALTER TABLE list_versions ADD COLUMN diff TEXT;
ALTER TABLE list_versions ADD COLUMN header_signature TEXT;
ALTER TABLE list_versions ADD COLUMN approved_by TEXT REFERENCES users(id);
ALTER TABLE list_versions ADD COLUMN approved_at TEXT;
ALTER TABLE list_versions ADD COLUMN activated_at TEXT;
CREATE INDEX list_versions_list ON list_versions(list_id, number);
CREATE INDEX list_versions_sha ON list_versions(list_id, sha256);

ALTER TABLE watchlists ADD COLUMN require_approval INTEGER NOT NULL DEFAULT 0;

ALTER TABLE entries ADD COLUMN name_key TEXT;

CREATE TABLE import_mappings (
  list_name TEXT NOT NULL COLLATE NOCASE,
  signature TEXT NOT NULL,
  mapping TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (list_name, signature)
);
`;
