/**
 * Desks for the centre's tests: a real Engine on its own encrypted database in a temporary folder,
 * set up, and joined to a test centre as the CLI's `desk register` leaves a desk (its link saved in
 * its encrypted settings, a `central.join` audit row, what it held before queued in the outbox).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { ApiCallError, type ApiClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';
import { registerDesk, type RegisteredDesk } from '../../electron/core/central/admin';
import { connectCentral, type CentralTarget } from '../../electron/core/central/connect';
import { joinCentre } from '../../electron/core/central/desk-config';
import { fixture, PASSPHRASE, PASSWORD, settledClient } from '../unit/helpers';
import type { TestCentre } from './centre';

/** A joined desk: its engine, a client signed in as its admin, its registration at the centre, and its clock (ms). */
export interface TestDesk {
  name: string;
  engine: Engine;
  api: ApiClient;
  dir: string;
  adminId: string;
  reg: RegisteredDesk;
  clock: { t: number };
}

/** Options of joinTestDesk: the desk's roles at the centre, its time zone, a start time for its clock, and the made-up warrants list imported before joining. */
export interface JoinOptions {
  publisher?: boolean;
  auditor?: boolean;
  timeZone?: string;
  at?: string;
  withList?: boolean;
}

/**
 * Sets up a desk (admin `admin`, PASSWORD) with checkpoint `checkpoint`, registers it at `centre`
 * as `name` and joins it; adds it to `desks` (closeTestDesks shuts them down). With `at`, the
 * desk runs on a clock of its own (`desk.clock.t`), and its sessions outlive hours of clock moves.
 */
export async function joinTestDesk(centre: TestCentre, desks: TestDesk[], name: string, checkpoint: string, opts: JoinOptions = {}): Promise<TestDesk> {
  const dir = mkdtempSync(join(tmpdir(), 'wd-central-desk-'));
  const timeZone = opts.timeZone ?? 'Asia/Bangkok';
  const clock = { t: opts.at ? Date.parse(opts.at) : Date.now() };
  const engine = new Engine({
    dbPath: join(dir, 'watchdesk.db'),
    ...(opts.at ? { now: () => new Date(clock.t), idleTimeoutMs: 30 * 86_400_000 } : {}),
  });
  const api = settledClient(engine);
  const s = await api.call('app.setup', { adminUsername: 'admin', password: PASSWORD, recoveryPassphrase: PASSPHRASE, checkpointName: checkpoint, timeZone });
  if (opts.withList) {
    const imp = await api.call('watchlists.import', { listName: 'Warrants', kind: 'wanted', fileName: 'warrants-th.csv', contentBase64: fixture('warrants-th.csv').toString('base64') });
    if (!imp.published) throw new Error('the made-up warrants list was not published');
  }
  const reg = await registerDesk(centre.admin, { deskName: name, checkpoint, timeZone, publisher: opts.publisher ?? false, auditor: opts.auditor ?? false });
  joinCentre(engine.requireDb(), s.user.id, reg, centre.cluster.certificate, new Date(clock.t));
  const d: TestDesk = { name, engine, api, dir, adminId: s.user.id, reg, clock };
  desks.push(d);
  return d;
}

/** Shuts down every desk of `desks` and removes their folders. */
export async function closeTestDesks(desks: TestDesk[]): Promise<void> {
  for (const d of desks.splice(0)) {
    await d.engine.shutdown().catch(() => undefined);
    rmSync(d.dir, { recursive: true, force: true });
  }
}

/** Runs `f` on a new connection to `t` (the centre's superuser, or a desk's login), then closes it. */
export async function withCentral<T>(t: CentralTarget, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connectCentral(t);
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** The ApiCallError `p` rejects with; throws when it succeeds or fails otherwise. */
export async function callFailure(p: Promise<unknown>): Promise<ApiCallError> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (!(e instanceof ApiCallError)) throw new Error(`expected the call to fail, got ${String(e)}`);
  return e;
}
