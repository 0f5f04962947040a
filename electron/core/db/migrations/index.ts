/** The numbered migrations, in order. Add one file per schema change and list it here. */
import * as m0001 from './0001_initial';

export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [m0001];
