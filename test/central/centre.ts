/**
 * A throwaway centre for the central tests: a PostgreSQL cluster of its own in a temporary folder,
 * on a free port of 127.0.0.1, migrated (schema `wd`, group roles), reached as its superuser.
 * Where PostgreSQL's programs are missing, startTestCentre throws cluster.ts's one-line
 * INSTALL_HINT: the tests fail with it and are never skipped.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { clusterInfo, freePort, initCluster, postgresBinDir, startCluster, stopCluster, type Cluster } from '../../electron/core/central/cluster';
import { CENTRAL_DATABASE, migrateCentral, withCredentials, type CentralTarget } from '../../electron/core/central/connect';

const SUPERUSER = 'watchdesk_admin';

/** A running test centre. */
export interface TestCentre {
  cluster: Cluster;
  /** The superuser, on database `watchdesk` (migrated), with the cluster's certificate pinned. */
  admin: CentralTarget;
  /** The temporary folder holding the cluster (`base/data`); removed by stop(). */
  base: string;
  /** Stops the cluster ('fast') and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a new cluster in a fresh temporary folder (mode 755 so that the `postgres` account can
 * reach it when the tests run as root), migrates it, and returns how to reach it. Throws
 * INSTALL_HINT when initdb/pg_ctl are missing; any other failure stops and removes what it made.
 */
export async function startTestCentre(): Promise<TestCentre> {
  postgresBinDir(); // throws INSTALL_HINT before any folder is made
  const base = mkdtempSync(join(tmpdir(), 'wdc-'));
  chmodSync(base, 0o755);
  const dir = join(base, 'data');
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      await stopCluster(dir, 'fast');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  };
  try {
    const password = randomBytes(18).toString('base64url');
    await initCluster(dir, SUPERUSER, password);
    // Test files start clusters in parallel: a port taken between freePort and the start is tried again.
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await startCluster(dir, port);
        break;
      } catch (e) {
        if (attempt >= 5 || !/could not (bind|create listen socket)|already in use/i.test((e as Error).message)) throw e;
      }
    }
    const cluster = clusterInfo(dir, port, SUPERUSER, password);
    const admin: CentralTarget = { url: withCredentials(cluster.adminUrl, { database: CENTRAL_DATABASE }), ca: cluster.certificate };
    await migrateCentral(admin);
    return { cluster, admin, base, stop };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}
