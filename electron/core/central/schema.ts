/**
 * The centre's schema (DESIGN.md section 10): numbered migrations applied in order, each in one
 * transaction, recorded in `wd.schema_migrations`, under an advisory lock so that two `central init`
 * runs cannot interleave.
 *
 * Who may do what is PostgreSQL's own business here, not ours:
 * - group roles (NOLOGIN): `wd_desk` (every desk's login is a member), `wd_publisher` (logins that
 *   may publish list versions), `wd_auditor` (department-wide reading); the objects belong to
 *   `wd_owner`, which nobody logs in as;
 * - a desk reads published lists, the department's trust records, and its own checkpoint's rows;
 *   it inserts only rows of its own desk and checkpoint (row-level security on `wd.my_desk()`, a
 *   SECURITY DEFINER lookup of `session_user` among the desks not revoked);
 * - nothing written is altered: no role is granted UPDATE or DELETE on the pushed tables, and a
 *   trigger refuses both to everyone (the owner too) outside `wd.purge_personal_data`, which blanks
 *   personal columns and keeps ids and hashes;
 * - publications take per-list sequence numbers that only increase (a trigger), and a desk checks
 *   the signature and the number again before it applies one (publication.ts).
 */

/** One numbered migration of the centre's schema. */
export interface CentralMigration {
  version: number;
  /** What it does, for `central init`'s output. */
  title: string;
  sql: string;
}

/** Group roles the migrations expect; `central init` creates them before migrating (cluster-wide objects). */
export const GROUP_ROLES = ['wd_owner', 'wd_desk', 'wd_publisher', 'wd_auditor'] as const;

const M1 = `
CREATE SCHEMA wd AUTHORIZATION wd_owner;
GRANT USAGE ON SCHEMA wd TO wd_desk, wd_publisher, wd_auditor;
SET LOCAL ROLE wd_owner;

-- The department: its root public key (Ed25519, raw 32 bytes base64), pinned by every desk at
-- registration; the private half is derived from the department passphrase (salt below) and never stored.
CREATE TABLE wd.department (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  name text NOT NULL,
  root_public text NOT NULL,
  root_salt text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wd.checkpoints (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  time_zone text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per desk; role_name is its own PostgreSQL login.
CREATE TABLE wd.desks (
  id uuid PRIMARY KEY,
  role_name text NOT NULL UNIQUE,
  name text NOT NULL,
  checkpoint_id uuid NOT NULL REFERENCES wd.checkpoints(id),
  publisher boolean NOT NULL DEFAULT false,
  registered_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Keys the department trusts to publish: each certified by the root key (cert_sig), and revoked by
-- a root-signed record (revocation_sig). Desks verify both; the centre only stores them.
CREATE TABLE wd.trusted_keys (
  fingerprint text PRIMARY KEY,
  public_key text NOT NULL,
  username text NOT NULL,
  role text NOT NULL CHECK (role IN ('publisher')),
  certified_at timestamptz NOT NULL,
  cert_sig text NOT NULL,
  revoked_at timestamptz,
  revocation_sig text
);

-- Published list versions and their entries, uploaded whole by a publishing desk.
CREATE TABLE wd.list_versions (
  id uuid PRIMARY KEY,
  list_id uuid NOT NULL,
  number integer NOT NULL,
  file_name text NOT NULL,
  source_sha256 text NOT NULL,
  entries integer NOT NULL,
  entries_sha256 text NOT NULL,
  desk_id uuid NOT NULL REFERENCES wd.desks(id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (list_id, number)
);

-- ord: the entry's position in the version (0..entries-1), for keyset paging and the digest order.
CREATE TABLE wd.entries (
  version_id uuid NOT NULL REFERENCES wd.list_versions(id),
  ord integer NOT NULL,
  id text NOT NULL,
  external_id text NOT NULL,
  source_row integer NOT NULL,
  content_hash text NOT NULL,
  name_key text,
  names text NOT NULL,
  match_keys text,
  date_of_birth text,
  sex text,
  nationalities text NOT NULL,
  documents text NOT NULL,
  reference text,
  reason text,
  remarks text,
  PRIMARY KEY (version_id, ord),
  UNIQUE (version_id, id)
);

-- The signed publication records: envelope is the canonical JSON text the signature covers
-- (list id, seq, action, version, entries digest, settings); signer is the key's fingerprint.
CREATE TABLE wd.publications (
  list_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  envelope text NOT NULL,
  signer text NOT NULL,
  sig text NOT NULL,
  desk_id uuid NOT NULL REFERENCES wd.desks(id),
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (list_id, seq)
);

-- What desks push. Every row keeps its global id (the desk's UUID; audit rows: desk + seq).
CREATE TABLE wd.crossings (
  id uuid PRIMARY KEY,
  desk_id uuid NOT NULL REFERENCES wd.desks(id),
  checkpoint_id uuid NOT NULL REFERENCES wd.checkpoints(id),
  occurred_at timestamptz NOT NULL,
  time_zone text NOT NULL,
  direction text NOT NULL,
  outcome text NOT NULL,
  officer_id uuid NOT NULL,
  officer text,
  flagged boolean NOT NULL,
  note text,
  screening_id uuid NOT NULL,
  screened_at timestamptz NOT NULL,
  traveler jsonb,
  list_versions jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  purged_at timestamptz
);
CREATE INDEX crossings_checkpoint_time ON wd.crossings (checkpoint_id, occurred_at);
CREATE INDEX crossings_time ON wd.crossings (occurred_at);

-- A hit as it stood when its crossing was pushed; later decisions and corrections are hit_events.
-- entry: a snapshot of the listed person as the desk had it (list name, external id, names, reference).
CREATE TABLE wd.hits (
  id uuid PRIMARY KEY,
  crossing_id uuid NOT NULL REFERENCES wd.crossings(id),
  checkpoint_id uuid NOT NULL REFERENCES wd.checkpoints(id),
  list_id uuid,
  list_version_id uuid,
  entry_id text NOT NULL,
  entry jsonb,
  score real NOT NULL,
  band text NOT NULL,
  explanation jsonb NOT NULL,
  action text NOT NULL,
  decision text NOT NULL,
  note text,
  decided_by uuid,
  decided_at timestamptz,
  approved_by uuid
);
CREATE INDEX hits_crossing ON wd.hits (crossing_id);

CREATE TABLE wd.hit_events (
  id text PRIMARY KEY,
  hit_id uuid NOT NULL,
  checkpoint_id uuid NOT NULL REFERENCES wd.checkpoints(id),
  desk_id uuid NOT NULL REFERENCES wd.desks(id),
  kind text NOT NULL CHECK (kind IN ('decision','correction')),
  decision text NOT NULL,
  note text,
  actor_id uuid,
  at timestamptz NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX hit_events_hit ON wd.hit_events (hit_id, at);

-- Each desk's audit chain, row for row (audit.ts): verifiable at the centre (a gap, a rewritten row).
CREATE TABLE wd.audit_rows (
  desk_id uuid NOT NULL REFERENCES wd.desks(id),
  seq bigint NOT NULL,
  at text NOT NULL,
  actor_id text,
  action text NOT NULL,
  subject text,
  details text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  signer text,
  sig text,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (desk_id, seq)
);

-- Desk accounts as the desks know them (ids to names, for department-wide browsing).
CREATE TABLE wd.desk_users (
  desk_id uuid NOT NULL REFERENCES wd.desks(id),
  user_id uuid NOT NULL,
  username text NOT NULL,
  roles text NOT NULL,
  PRIMARY KEY (desk_id, user_id)
);

-- The desk a session belongs to: its login among the desks not revoked (null for anyone else).
CREATE FUNCTION wd.my_desk() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wd, pg_temp AS
  $$ SELECT id FROM wd.desks WHERE role_name = session_user AND revoked_at IS NULL $$;
CREATE FUNCTION wd.my_checkpoint() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wd, pg_temp AS
  $$ SELECT checkpoint_id FROM wd.desks WHERE role_name = session_user AND revoked_at IS NULL $$;

-- Nothing written is altered: UPDATE and DELETE refused to everyone outside the audited purge.
CREATE FUNCTION wd.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('wd.purging', true) = 'on' AND TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
  RAISE EXCEPTION 'rows of wd.% are never altered', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER crossings_frozen BEFORE UPDATE OR DELETE ON wd.crossings FOR EACH ROW EXECUTE FUNCTION wd.refuse_change();
CREATE TRIGGER hits_frozen BEFORE UPDATE OR DELETE ON wd.hits FOR EACH ROW EXECUTE FUNCTION wd.refuse_change();
CREATE TRIGGER hit_events_frozen BEFORE UPDATE OR DELETE ON wd.hit_events FOR EACH ROW EXECUTE FUNCTION wd.refuse_change();
CREATE TRIGGER audit_rows_frozen BEFORE UPDATE OR DELETE ON wd.audit_rows FOR EACH ROW EXECUTE FUNCTION wd.refuse_change();
CREATE TRIGGER publications_frozen BEFORE UPDATE OR DELETE ON wd.publications FOR EACH ROW EXECUTE FUNCTION wd.refuse_change();
CREATE TRIGGER entries_frozen BEFORE UPDATE OR DELETE ON wd.entries FOR EACH ROW EXECUTE FUNCTION wd.refuse_change();
CREATE TRIGGER list_versions_frozen BEFORE UPDATE OR DELETE ON wd.list_versions FOR EACH ROW EXECUTE FUNCTION wd.refuse_change();

-- A list's sequence numbers only increase.
CREATE FUNCTION wd.next_seq_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(NEW.list_id::text));
  IF NEW.seq <= coalesce((SELECT max(seq) FROM wd.publications WHERE list_id = NEW.list_id), 0) THEN
    RAISE EXCEPTION 'publication sequence numbers only increase' USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER publications_seq BEFORE INSERT ON wd.publications FOR EACH ROW EXECUTE FUNCTION wd.next_seq_only();

-- Row-level security: every table a desk touches.
ALTER TABLE wd.crossings ENABLE ROW LEVEL SECURITY;
ALTER TABLE wd.hits ENABLE ROW LEVEL SECURITY;
ALTER TABLE wd.hit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE wd.audit_rows ENABLE ROW LEVEL SECURITY;
ALTER TABLE wd.desk_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE wd.publications ENABLE ROW LEVEL SECURITY;
ALTER TABLE wd.list_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE wd.entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE wd.desks ENABLE ROW LEVEL SECURITY;

CREATE POLICY desk_insert ON wd.crossings FOR INSERT TO wd_desk WITH CHECK (desk_id = wd.my_desk() AND checkpoint_id = wd.my_checkpoint());
CREATE POLICY desk_read ON wd.crossings FOR SELECT TO wd_desk USING (checkpoint_id = wd.my_checkpoint());
CREATE POLICY desk_insert ON wd.hits FOR INSERT TO wd_desk WITH CHECK (checkpoint_id = wd.my_checkpoint());
CREATE POLICY desk_read ON wd.hits FOR SELECT TO wd_desk USING (checkpoint_id = wd.my_checkpoint());
CREATE POLICY desk_insert ON wd.hit_events FOR INSERT TO wd_desk WITH CHECK (desk_id = wd.my_desk() AND checkpoint_id = wd.my_checkpoint());
CREATE POLICY desk_read ON wd.hit_events FOR SELECT TO wd_desk USING (checkpoint_id = wd.my_checkpoint());
CREATE POLICY desk_insert ON wd.audit_rows FOR INSERT TO wd_desk WITH CHECK (desk_id = wd.my_desk());
CREATE POLICY desk_read ON wd.audit_rows FOR SELECT TO wd_desk USING (desk_id = wd.my_desk());
CREATE POLICY desk_insert ON wd.desk_users FOR INSERT TO wd_desk WITH CHECK (desk_id = wd.my_desk());
CREATE POLICY desk_read ON wd.desk_users FOR SELECT TO wd_desk USING (desk_id = wd.my_desk());
CREATE POLICY desk_read ON wd.desks FOR SELECT TO wd_desk USING (role_name = session_user);
-- Published lists: every desk not revoked reads them; only publishers write, as themselves.
CREATE POLICY desk_read ON wd.publications FOR SELECT TO wd_desk USING (wd.my_desk() IS NOT NULL);
CREATE POLICY desk_read ON wd.list_versions FOR SELECT TO wd_desk USING (wd.my_desk() IS NOT NULL);
CREATE POLICY desk_read ON wd.entries FOR SELECT TO wd_desk USING (wd.my_desk() IS NOT NULL);
CREATE POLICY publisher_insert ON wd.publications FOR INSERT TO wd_publisher WITH CHECK (desk_id = wd.my_desk());
CREATE POLICY publisher_insert ON wd.list_versions FOR INSERT TO wd_publisher WITH CHECK (desk_id = wd.my_desk());
CREATE POLICY publisher_insert ON wd.entries FOR INSERT TO wd_publisher
  WITH CHECK (EXISTS (SELECT 1 FROM wd.list_versions v WHERE v.id = version_id AND v.desk_id = wd.my_desk()));
CREATE POLICY auditor_read ON wd.crossings FOR SELECT TO wd_auditor USING (true);
CREATE POLICY auditor_read ON wd.hits FOR SELECT TO wd_auditor USING (true);
CREATE POLICY auditor_read ON wd.hit_events FOR SELECT TO wd_auditor USING (true);
CREATE POLICY auditor_read ON wd.audit_rows FOR SELECT TO wd_auditor USING (true);
CREATE POLICY auditor_read ON wd.desk_users FOR SELECT TO wd_auditor USING (true);
CREATE POLICY auditor_read ON wd.publications FOR SELECT TO wd_auditor USING (true);
CREATE POLICY auditor_read ON wd.list_versions FOR SELECT TO wd_auditor USING (true);
CREATE POLICY auditor_read ON wd.entries FOR SELECT TO wd_auditor USING (true);
CREATE POLICY auditor_read ON wd.desks FOR SELECT TO wd_auditor USING (true);

GRANT SELECT ON wd.department, wd.checkpoints, wd.trusted_keys, wd.desks, wd.publications, wd.list_versions, wd.entries TO wd_desk;
GRANT SELECT, INSERT ON wd.crossings, wd.hits, wd.hit_events, wd.audit_rows, wd.desk_users TO wd_desk;
GRANT INSERT ON wd.publications, wd.list_versions, wd.entries TO wd_publisher;
GRANT SELECT ON ALL TABLES IN SCHEMA wd TO wd_auditor;
GRANT EXECUTE ON FUNCTION wd.my_desk(), wd.my_checkpoint() TO wd_desk, wd_publisher, wd_auditor;
`;

/**
 * Migration 2 (issue 16: "every action is audited"; "a departed user's account ... revoked at every
 * desk by its next sync"):
 * - `wd.admin_log`: one row per administrative action at the centre (admin.ts: init, desk
 *   registered or revoked, key certified or revoked, account revoked, purge), with the login that
 *   did it (`session_user`) and ids, names, fingerprints and counts only (never traveler data).
 *   Never altered, not even inside a purge (`wd.refuse_any_change`); auditors read it.
 * - `wd.account_revocations`: accounts (by username) the department revoked, each with the root
 *   key's signature over trust.ts accountRevocationMessage. Every desk reads them and keeps the
 *   ones whose signature verifies (central/accounts.ts); the centre only stores them. Never altered.
 */
const M2 = `
SET LOCAL ROLE wd_owner;

CREATE FUNCTION wd.refuse_any_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of wd.% are never altered', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE wd.admin_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL DEFAULT session_user,
  action text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX admin_log_at ON wd.admin_log (at);
CREATE TRIGGER admin_log_frozen BEFORE UPDATE OR DELETE ON wd.admin_log FOR EACH ROW EXECUTE FUNCTION wd.refuse_any_change();
CREATE TRIGGER admin_log_no_truncate BEFORE TRUNCATE ON wd.admin_log FOR EACH STATEMENT EXECUTE FUNCTION wd.refuse_any_change();

CREATE TABLE wd.account_revocations (
  username text NOT NULL,
  revoked_at timestamptz NOT NULL,
  sig text NOT NULL,
  PRIMARY KEY (username, revoked_at)
);
CREATE TRIGGER account_revocations_frozen BEFORE UPDATE OR DELETE ON wd.account_revocations FOR EACH ROW EXECUTE FUNCTION wd.refuse_any_change();
CREATE TRIGGER account_revocations_no_truncate BEFORE TRUNCATE ON wd.account_revocations FOR EACH STATEMENT EXECUTE FUNCTION wd.refuse_any_change();

GRANT SELECT ON wd.account_revocations TO wd_desk, wd_auditor;
GRANT SELECT ON wd.admin_log TO wd_auditor;
`;

/**
 * Migration 3 (department-wide browsing, browse.ts): indexes for the crossings browser's filters and
 * its order (newest first, then id): the time index with the id (replacing migration 1's), flagged
 * crossings alone, and crossings by officer. No grant changes: `wd_auditor` already reads every
 * table of migration 1 and row-level security already limits a desk to its own checkpoint.
 */
const M3 = `
SET LOCAL ROLE wd_owner;
CREATE INDEX crossings_time_id ON wd.crossings (occurred_at DESC, id DESC);
DROP INDEX wd.crossings_time;
CREATE INDEX crossings_flagged_time ON wd.crossings (occurred_at DESC, id DESC) WHERE flagged;
CREATE INDEX crossings_officer_time ON wd.crossings (lower(officer), occurred_at DESC);
`;

/**
 * Migration 4: a desk's directory of its own accounts (`wd.desk_users`) follows their renames and
 * role changes (push.ts upserts it): a desk may update the name and roles of its own rows only.
 * Pushed facts (crossings, hits, hit events, audit rows) stay frozen.
 */
const M4 = `
SET LOCAL ROLE wd_owner;
CREATE POLICY desk_update ON wd.desk_users FOR UPDATE TO wd_desk USING (desk_id = wd.my_desk()) WITH CHECK (desk_id = wd.my_desk());
GRANT UPDATE (username, roles) ON wd.desk_users TO wd_desk;
`;

/**
 * Migration 5 (issue 16: "Accounts and roles are provisioned at the centre and reach every desk; an
 * officer can move between checkpoints"): `wd.accounts`, one row per account the department
 * provisioned (admin.ts createAccount / updateAccount), updated in place with a `seq` that only
 * increases. Each row carries the department root key's signature (`root_sig`) over trust.ts
 * accountRecordMessage: the grant (id, roles, checkpoint ids or null for every one, disabled,
 * public signing key, seq, issued_at) and the digest of the credentials (username, the password's
 * Argon2id hash, the signing key wrapped under the password). Desks verify it and never apply a
 * record not newer than the one they hold (central/accounts.ts), so a compromised centre can
 * neither forge nor replay one.
 *
 * Every desk (and auditor) reads the grant part of every row, with `cred_digest` (the digest the
 * root signed, so a desk verifies a record without its credentials): an officer moved away or
 * disabled must reach the desks of the checkpoint they left. The credentials themselves (Argon2id
 * hash, wrapped signing key) are readable by no group role on the table: a desk reads them through
 * the view `wd.account_credentials`, only for the accounts of its own checkpoint (wd.my_checkpoint)
 * or of every checkpoint; an auditor not at all. The desk's sign-in enforces the checkpoints. Only
 * the centre's administrator writes (no grant to any group role); rows are never deleted (an
 * account leaves by being disabled, or revoked), the id and username never change, and an update
 * must raise seq (a trigger, for everyone).
 */
const M5 = `
SET LOCAL ROLE wd_owner;
CREATE TABLE wd.accounts (
  id uuid PRIMARY KEY,
  username text NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  roles jsonb NOT NULL,
  checkpoints jsonb,
  disabled boolean NOT NULL DEFAULT false,
  signing_key text NOT NULL,
  password_hash text NOT NULL,
  signing_wrapped text NOT NULL,
  issued_at timestamptz NOT NULL,
  root_sig text NOT NULL,
  cred_digest text NOT NULL
);
CREATE UNIQUE INDEX accounts_username ON wd.accounts (lower(username));

CREATE FUNCTION wd.account_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'rows of wd.accounts are never deleted (disable or revoke the account)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id <> OLD.id OR NEW.username <> OLD.username THEN
    RAISE EXCEPTION 'an account keeps its id and username' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.seq <= OLD.seq THEN
    RAISE EXCEPTION 'account sequence numbers only increase' USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER accounts_forward_only BEFORE UPDATE OR DELETE ON wd.accounts FOR EACH ROW EXECUTE FUNCTION wd.account_forward_only();
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON wd.accounts FOR EACH STATEMENT EXECUTE FUNCTION wd.refuse_any_change();

-- The grant part of every record, for every desk (moves and disables must reach the desks left) and auditor;
-- never the credentials (password hash, wrapped signing key): no grant on those columns to any group role.
GRANT SELECT (id, username, seq, roles, checkpoints, disabled, signing_key, issued_at, root_sig, cred_digest) ON wd.accounts TO wd_desk, wd_auditor;
-- The credentials, to a desk only for the accounts that may sign in there: those of its checkpoint, or of every
-- checkpoint. The view runs with its owner's rights; security_barrier keeps a desk's own conditions (and any
-- function they call) from seeing a row before the view's filter did.
CREATE VIEW wd.account_credentials WITH (security_barrier) AS
  SELECT id, password_hash, signing_wrapped FROM wd.accounts
  WHERE checkpoints IS NULL OR checkpoints ? (wd.my_checkpoint()::text);
GRANT SELECT ON wd.account_credentials TO wd_desk;
`;

/**
 * Migration 6: a desk restored from an older backup goes on from the backup's audit seqs (issue 16:
 * "nothing recorded offline is lost"). Its new rows took seqs the centre held already and were
 * dropped by the push's ON CONFLICT. Audit rows are now keyed by desk, seq and hash: both branches
 * are kept, and `central verify` follows the one received last and reports the other
 * (central/chains.ts). A row resent unchanged is still ignored (same hash). Also an index on
 * `wd.crossings.screened_at` for the department dashboard's screenings per day.
 */
const M6 = `
ALTER TABLE wd.audit_rows DROP CONSTRAINT audit_rows_pkey;
ALTER TABLE wd.audit_rows ADD PRIMARY KEY (desk_id, seq, hash);
-- The department dashboard (central/dashboard.ts) counts screenings by the day they were screened.
CREATE INDEX crossings_screened ON wd.crossings (screened_at);
`;

/** The centre's migrations, in order. Add one per schema change; never edit one that has shipped. */
export const CENTRAL_MIGRATIONS: readonly CentralMigration[] = [
  { version: 1, title: 'department, checkpoints, desks, trusted keys, published lists, crossings, hits, audit rows; roles and row-level security', sql: M1 },
  { version: 2, title: 'administration log; signed account revocations', sql: M2 },
  { version: 3, title: 'indexes for department-wide crossings browsing', sql: M3 },
  { version: 4, title: "a desk's accounts follow their renames and role changes", sql: M4 },
  { version: 5, title: "accounts provisioned by the department, root-signed; grants read by every desk, credentials only by the desks of the account's checkpoints", sql: M5 },
  { version: 6, title: "audit rows keyed by desk, seq and hash (a desk restored from an older backup loses none of its new rows); crossings by screening time", sql: M6 },
];
