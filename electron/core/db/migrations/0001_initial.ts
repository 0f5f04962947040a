/**
 * Migration 1: the first schema. Ids are UUIDs (TEXT) from the start so that list versions,
 * entries, crossings and hits can later be merged across desks (DESIGN.md section 10).
 * Times are ISO-8601 UTC strings; the checkpoint's time zone is stored beside them.
 */
export const version = 1;
export const sql = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE watchlists (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('wanted','at-risk','deny-entry','monitor')),
  action_text TEXT,
  strong_threshold REAL,
  review_threshold REAL,
  weak_threshold REAL,
  active_version_id TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id)
);

CREATE TABLE list_versions (
  id TEXT PRIMARY KEY,
  list_id TEXT NOT NULL REFERENCES watchlists(id),
  number INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  sheet TEXT,
  mapping TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  imported INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('published','superseded')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  UNIQUE (list_id, number)
);

CREATE TABLE entries (
  id TEXT PRIMARY KEY,
  version_id TEXT NOT NULL REFERENCES list_versions(id),
  external_id TEXT NOT NULL,
  source_row INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  names TEXT NOT NULL,
  date_of_birth TEXT,
  sex TEXT,
  nationalities TEXT NOT NULL,
  documents TEXT NOT NULL,
  reference TEXT,
  reason TEXT,
  remarks TEXT
);
CREATE INDEX entries_version ON entries(version_id);

CREATE TABLE screenings (
  id TEXT PRIMARY KEY,
  screened_at TEXT NOT NULL,
  officer_id TEXT NOT NULL REFERENCES users(id),
  traveler TEXT NOT NULL,
  list_versions TEXT NOT NULL,
  crossing_id TEXT
);

CREATE TABLE hits (
  id TEXT PRIMARY KEY,
  screening_id TEXT NOT NULL REFERENCES screenings(id),
  entry_id TEXT NOT NULL REFERENCES entries(id),
  score REAL NOT NULL,
  band TEXT NOT NULL,
  explanation TEXT NOT NULL,
  action TEXT NOT NULL,
  decision TEXT NOT NULL DEFAULT 'undecided',
  note TEXT,
  decided_by TEXT REFERENCES users(id),
  decided_at TEXT
);
CREATE INDEX hits_screening ON hits(screening_id);

CREATE TABLE crossings (
  id TEXT PRIMARY KEY,
  screening_id TEXT NOT NULL UNIQUE REFERENCES screenings(id),
  occurred_at TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  checkpoint TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('entry','exit')),
  outcome TEXT NOT NULL CHECK (outcome IN ('passed','refused-entry','held','referred')),
  officer_id TEXT NOT NULL REFERENCES users(id),
  flagged INTEGER NOT NULL,
  note TEXT
);
CREATE INDEX crossings_time ON crossings(occurred_at);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id TEXT,
  action TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
`;
