/** The numbered migrations, in order. Add one file per schema change and list it here. */
import * as m0001 from './0001_initial';
import * as m0002 from './0002_users_audit';
import * as m0003 from './0003_list_versions';
import * as m0004 from './0004_match_keys';
import * as m0005 from './0005_decisions';
import * as m0006 from './0006_source_date';
import * as m0007 from './0007_signing_keys';
import * as m0008 from './0008_central';
import * as m0009 from './0009_central_accounts';
import * as m0010 from './0010_crossings_browse';
import * as m0011 from './0011_scored_days';
import * as m0012 from './0012_hit_counts';
import * as m0013 from './0013_central_account_records';
import type Database from 'better-sqlite3-multiple-ciphers';

export interface Migration {
  version: number;
  sql: string;
  /** Run after `sql`, in the same transaction: a backfill that needs the engine's code (0010's search keys). */
  backfill?: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013];
