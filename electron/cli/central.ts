/**
 * The centre's commands of `watchdesk` (issue 16, DESIGN.md section 10): `central init`, `desk
 * register`, `sync`, `central publish|retire|trust|revoke|verify|purge`, and `central account
 * add|update|list` (accounts of the department, central/admin.ts createAccount / updateAccount). Registered on the main
 * program by `electron/cli/main.ts` (with the same kit as admin.ts).
 *
 * Two kinds of credentials meet here, and neither is ever printed:
 * - the centre administrator's, in the URL given with `--url`/`--central` (or its password in
 *   WATCHDESK_CENTRAL_PASSWORD when the URL has none): used for the one command, never stored;
 *   output shows the URL without its password (connect.ts redactUrl);
 * - a desk's own PostgreSQL login, made by `desk register` and stored only in that desk's encrypted
 *   database (desk-config.ts saveDeskCentral).
 * Commands that change the centre from a desk (register, trust, revoke, purge) sign in to that desk
 * as for any other command (--user, WATCHDESK_PASSWORD; an admin) and are audited in its trail.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ApiClient } from '../../shared/client';
import type { ApiInput, CentralCrossingsResult, PublicationResultView, SyncResultView } from '../../shared/contract';
import { BANDS, DECISIONS, DIRECTIONS, OUTCOMES } from '../../shared/domain';
import { assertWritable } from '../core/files';
import { appendAudit } from '../core/audit';
import {
  centralRoot, certifyPublisher, createAccount, initCentral, listAccounts, listAdminLog, listDesks, purgeCentral, registerDesk, revokeAccount, revokeDesk, revokeKey,
  updateAccount, verifyDeskChains, type DepartmentAccountChange,
} from '../core/central/admin';
import { redactUrl, withCredentials, type CentralTarget } from '../core/central/connect';
import { deskCentral, joinCentre } from '../core/central/desk-config';
import { failureKind } from '../core/central/sync';
import { WatchdeskError } from '../core/errors';
import { groupedFingerprint, publicKeyOf, signerOf } from '../core/signing';
import type { Engine } from '../core/api/engine';
import type { CliKit } from './admin';
import { registerCentralDashboard } from './central-dashboard';

type Globals = ReturnType<CliKit['g']>;

/**
 * The centre's administrator target from `--url` and `--ca`: a postgres:// URL (its password, when
 * it has none, from WATCHDESK_CENTRAL_PASSWORD) and the centre's certificate file (PEM).
 */
function adminTarget(kit: CliKit, url: string, caFile: string): CentralTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw kit.fail('the centre URL must look like postgres://user:password@host:port/watchdesk');
  }
  if (!/^postgres(ql)?:$/.test(u.protocol) || !u.username) throw kit.fail('the centre URL must look like postgres://user:password@host:port/watchdesk');
  const password = u.password ? undefined : process.env.WATCHDESK_CENTRAL_PASSWORD;
  // Found before connecting: the driver would only fail with a bare "Error" at the centre.
  if (!u.password && !password) throw kit.fail(noPasswordText(u));
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch {
    throw kit.fail(`cannot read the centre's certificate ${caFile}`);
  }
  if (!ca.includes('BEGIN CERTIFICATE')) throw kit.fail(`${caFile} is not a PEM certificate`);
  return { url: password ? withCredentials(url, { password }) : url, ca };
}

/** What to say when the administrator's URL has no password and WATCHDESK_CENTRAL_PASSWORD is unset (names the user, never a password). */
function noPasswordText(u: URL): string {
  return `no password was given for ${decodeURIComponent(u.username)} at the centre: set WATCHDESK_CENTRAL_PASSWORD to it (or put it in the URL, postgres://user:password@host:port/watchdesk)`;
}

/** Runs `fn` against the centre as its administrator, turning the driver's errors into messages without credentials. */
async function atCentre<T>(kit: CliKit, admin: CentralTarget, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof WatchdeskError) throw e;
    const where = redactUrl(admin.url);
    switch (failureKind(e)) {
      case 'central.unreachable': throw kit.fail(`cannot reach the centre at ${where}`);
      case 'central.credentialsRefused': throw kit.fail(`the centre at ${where} refused the login (wrong user or password, or no right to log in)`);
      case 'central.certificateRefused': throw kit.fail(`the centre at ${where} did not present the certificate given with --ca`);
      case 'central.refused': throw kit.fail(`the centre at ${where} refused the change (this login lacks the rights, or its rules forbid it)`);
      default:
        if (e instanceof Error && /client password must be a string/.test(e.message)) throw kit.fail(noPasswordText(new URL(admin.url)));
        throw kit.fail(`the command failed at the centre ${where} (${(e as { code?: string }).code ?? (e instanceof Error ? e.name : 'error')})`);
    }
  }
}

/**
 * Signs in to the desk as the chosen user (WATCHDESK_PASSWORD), requires the admin role, runs `fn`
 * with the open engine, and closes the database afterwards.
 */
async function asDeskAdmin<T>(kit: CliKit, gl: Globals, fn: (engine: Engine, api: ApiClient, userId: string) => Promise<T>): Promise<T> {
  const { engine, api } = kit.engineFor(gl);
  try {
    if (!engine.initialized) throw kit.fail(`no Watchdesk database at ${gl.db} (run "watchdesk init" first)`);
    const s = await api.call('auth.signIn', { username: gl.user, password: kit.env('WATCHDESK_PASSWORD') });
    if (!s.user.roles.includes('admin')) throw kit.fail(`${gl.user} is not an admin of this desk`);
    return await fn(engine, api, s.user.id);
  } finally {
    engine.close();
  }
}

/**
 * Appends a row for what the command did at the centre to the desk's trail, then lets the engine
 * bring the chain head kept outside the database up to date (it does so after every API call).
 */
async function audited(engine: Engine, api: ApiClient, ev: Parameters<typeof appendAudit>[1]): Promise<void> {
  appendAudit(engine.requireDb(), ev, engine.now());
  await api.call('app.status', {});
}

async function listIdByName(kit: CliKit, api: ApiClient, name: string): Promise<string> {
  const l = (await api.call('watchlists.list')).find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!l) throw kit.fail(`no list named ${name}`);
  return l.id;
}

/** A fingerprint as typed (grouped, any case) in its plain form. */
function plainFingerprint(fp: string): string {
  return fp.replace(/\s+/g, '').toLowerCase();
}

/** Where a department account signs in, in words. */
function accountWhere(checkpoints: string[] | null): string {
  return checkpoints === null ? 'at every checkpoint' : `at ${checkpoints.join(', ')}`;
}

/** What one sync moved, one line each. */
export function syncText(r: SyncResultView): string {
  const s = r.sent;
  return [
    `pulled ${r.pulled} list publication(s)${r.lists.length ? `: ${r.lists.map((l) => `${l.listName} (#${l.seq}, ${l.entries} entries)`).join(', ')}` : ''}`,
    `refused ${r.refused}${r.refusals.length ? `: ${r.refusals.map((x) => `list ${x.listId} #${x.seq}: ${x.reason.message}`).join('; ')}` : ''}`,
    `pushed ${r.pushed} row(s): ${s.crossings} crossings, ${s.hits} hits, ${s.hitEvents} hit events, ${s.audit} audit rows, ${s.users} accounts`,
    `waiting ${r.waiting}`,
    ...(r.accountsRevoked ? [`accounts revoked by the department, now refused here: ${r.accountsRevoked}`] : []),
    ...(r.accountsProvisioned ? [`department accounts created or changed here: ${r.accountsProvisioned}`] : []),
    ...(r.accountsConflicting ? [`department accounts not applied (a local account of this desk has the username): ${r.accountsConflicting}`] : []),
    ...(r.accountsIgnored ? [`department account records ignored (not signed by the department's root key): ${r.accountsIgnored}`] : []),
  ].join('\n');
}

function publicationText(r: PublicationResultView): string {
  return r.action === 'publish'
    ? `published ${r.listName} version ${r.versionNumber ?? '-'} (${r.entries} entries) at the centre as publication #${r.seq}, signed by ${groupedFingerprint(r.signer)}`
    : `retired ${r.listName} at the centre as publication #${r.seq}, signed by ${groupedFingerprint(r.signer)}`;
}

const URL_HELP = "the centre's administrator URL, postgres://user:password@host:port/watchdesk (the password may be given in WATCHDESK_CENTRAL_PASSWORD instead); used once, never stored";
const CA_HELP = "the centre's certificate (PEM file) to trust";

/** Adds `central ...`, `desk register` and `sync` to `program`. */
export function registerCentralCommands(program: Command, kit: CliKit): void {
  const { g, out, asUser, env } = kit;

  const central = program.command('central').description('the department centre (PostgreSQL): set-up, publishing, trust, verification, retention');

  central
    .command('init')
    .description("create the centre's database, roles and schema and record the department with its root key (WATCHDESK_CENTRAL_PASSPHRASE); safe to run again")
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .option('--department <name>', 'department name', 'Department')
    .action(async (o: { url: string; ca: string; department: string }) => {
      const gl = g();
      const admin = adminTarget(kit, o.url, o.ca);
      const r = await atCentre(kit, admin, () => initCentral(admin, { department: o.department, passphrase: env('WATCHDESK_CENTRAL_PASSPHRASE') }));
      out(gl, { centre: redactUrl(admin.url), ...r }, () => [
        `centre ready at ${redactUrl(admin.url)}`,
        r.applied.length ? `migrations applied: ${r.applied.join(', ')}` : 'schema already current',
        `${r.created ? 'department recorded' : 'department already recorded'}: ${r.department}`,
        `root key fingerprint: ${groupedFingerprint(r.rootFingerprint)} (give it to every desk: watchdesk desk register --root)`,
      ].join('\n'));
    });

  program
    .command('desk')
    .description('this desk and the centre')
    .command('register')
    .description("join the centre: registers this desk (its own PostgreSQL login) and keeps its credentials in this desk's encrypted database (an admin of the desk)")
    .requiredOption('--central <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .requiredOption('--checkpoint <name>', "the desk's checkpoint at the centre (made if new)")
    .option('--desk <name>', "the desk's name at the centre (default: this computer's name)")
    .option('--timezone <tz>', "the checkpoint's time zone when it is new (default: this desk's)")
    .option('--publisher', 'a desk that may publish lists (its supervisors publish for the department)')
    .option('--auditor', "an auditing desk: its auditors and supervisors read every checkpoint's crossings at the centre")
    .option('--root <fingerprint>', "the department's root key fingerprint as given on paper: registration stops if the centre's differs")
    .action(async (o: { central: string; ca: string; checkpoint: string; desk?: string; timezone?: string; publisher?: boolean; auditor?: boolean; root?: string }) => {
      const gl = g();
      const admin = adminTarget(kit, o.central, o.ca);
      const r = await asDeskAdmin(kit, gl, async (engine, api, userId) => {
        const db = engine.requireDb();
        const already = deskCentral(db);
        if (already) throw kit.fail(`this desk has already joined a centre as ${already.deskName || already.deskId}`);
        const root = await atCentre(kit, admin, () => centralRoot(admin));
        if (o.root && plainFingerprint(o.root) !== root.rootFingerprint) {
          // The answering server's own fingerprint is not printed: it is to be checked against the department's copy, not copied from the server.
          throw kit.fail("the centre's root key is not the one given with --root: nothing was registered. Check --root against the department's own copy (on paper); if it matches, the server at this address is not the department's centre");
        }
        const reg = await atCentre(kit, admin, () => registerDesk(admin, {
          deskName: o.desk ?? hostname(), checkpoint: o.checkpoint, timeZone: o.timezone ?? engine.setting('checkpoint.timeZone') ?? 'UTC', publisher: Boolean(o.publisher),
          auditor: Boolean(o.auditor),
        }));
        const own = engine.setting('checkpoint.name') ?? '';
        if (own.toLowerCase() !== reg.checkpoint.toLowerCase()) {
          process.stderr.write(`note: this desk's own checkpoint is "${own}"; at the centre it is "${reg.checkpoint}" (its crossings are counted there under "${reg.checkpoint}")\n`);
        }
        const now = engine.now();
        const joined = joinCentre(db, userId, reg, admin.ca, now);
        await api.call('app.status', {});
        return { reg, joined };
      });
      const { reg, joined } = r;
      out(gl, {
        deskId: reg.deskId, deskName: reg.deskName, checkpointId: reg.checkpointId, checkpoint: reg.checkpoint, publisher: reg.publisher, auditor: reg.auditor,
        centre: redactUrl(reg.url), rootFingerprint: reg.rootFingerprint, waiting: joined,
      }, () => [
        `joined the centre at ${redactUrl(admin.url)} as desk ${reg.deskName} of checkpoint ${reg.checkpoint}${reg.publisher ? ' (publishing desk)' : ''}${reg.auditor ? " (auditing desk: reads every checkpoint's crossings)" : ''}`,
        `department root key: ${groupedFingerprint(reg.rootFingerprint)}`,
        `waiting to be sent: ${joined.crossings} crossings, ${joined.audit} audit rows, ${joined.users} accounts (watchdesk sync sends them)`,
      ].join('\n'));
    });

  program
    .command('sync')
    .description('one pull of the lists the centre published and one push of what this desk recorded; prints what moved')
    .option('--central <url>', "another address of this desk's centre for this sync (postgres://host:port/watchdesk, no user or password)")
    .action(async (o: { central?: string }) => {
      const gl = g();
      const r = await asUser(gl, (api) => api.call('central.sync', { url: o.central }));
      out(gl, r, () => syncText(r));
    });

  for (const action of ['publish', 'retire'] as const) {
    central
      .command(action)
      .description(action === 'publish'
        ? "publish a list's active version and settings to every desk, signed by your key (a supervisor, on a publishing desk)"
        : 'retire a list at every desk (a signed publication; a supervisor, on a publishing desk)')
      .requiredOption('--list <name>', 'list name')
      .action(async (o: { list: string }) => {
        const gl = g();
        const r = await asUser(gl, async (api) => api.call(action === 'publish' ? 'central.publish' : 'central.retire', { listId: await listIdByName(kit, api, o.list) }));
        out(gl, r, () => publicationText(r));
      });
  }

  central
    .command('trust')
    .description("certify the signing key of the supervisor signed in with --user (WATCHDESK_PASSWORD: their own) as a publisher's, with the department's root key (WATCHDESK_CENTRAL_PASSPHRASE)")
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .action(async (o: { url: string; ca: string }) => {
      const gl = g();
      const admin = adminTarget(kit, o.url, o.ca);
      const passphrase = env('WATCHDESK_CENTRAL_PASSPHRASE');
      // The key certified is the one the supervisor's own password just unlocked: whoever runs this
      // holds both that password and the department's passphrase.
      const { engine, api } = kit.engineFor(gl);
      let cert: Awaited<ReturnType<typeof certifyPublisher>>;
      try {
        if (!engine.initialized) throw kit.fail(`no Watchdesk database at ${gl.db} (run "watchdesk init" first)`);
        const s = await api.call('auth.signIn', { username: gl.user, password: env('WATCHDESK_PASSWORD') });
        if (!s.user.roles.includes('supervisor')) throw kit.fail(`${gl.user} is not a supervisor: only supervisors publish lists`);
        const signer = signerOf(engine.opts.dbPath, s.user.id);
        if (!signer) throw kit.fail(`${gl.user}'s signing key is not unlocked on this desk`);
        cert = await atCentre(kit, admin, () => certifyPublisher(admin, passphrase, { username: s.user.username, publicKey: publicKeyOf(signer.key) }, engine.now()));
        await audited(engine, api, { actorId: s.user.id, action: 'central.trust', subject: s.user.id, details: { fingerprint: cert.fingerprint } });
      } finally {
        engine.close();
      }
      out(gl, cert, () => `certified ${cert.username}'s key ${groupedFingerprint(cert.fingerprint)} as a publisher's at ${redactUrl(admin.url)}`);
    });

  central
    .command('revoke')
    .description("revoke a desk's credentials (--desk), a publisher's key (--key) or a departed user's account at every desk with its keys (--account); --key and --account with WATCHDESK_CENTRAL_PASSPHRASE")
    .option('--desk <name>', 'desk name or id')
    .option('--key <fingerprint>', "publisher key fingerprint")
    .option('--account <username>', 'username of the account to revoke at every desk (refused at sign-in from each desk\'s next sync; its publisher keys revoked)')
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .action(async (o: { desk?: string; key?: string; account?: string; url: string; ca: string }) => {
      const gl = g();
      if ([o.desk, o.key, o.account].filter(Boolean).length !== 1) throw kit.fail('say which: --desk NAME or --key FINGERPRINT (or --account USERNAME)');
      const admin = adminTarget(kit, o.url, o.ca);
      if (o.account) {
        const passphrase = env('WATCHDESK_CENTRAL_PASSPHRASE');
        const username = o.account;
        const r = await asDeskAdmin(kit, gl, async (engine, api, userId) => {
          const done = await atCentre(kit, admin, () => revokeAccount(admin, passphrase, username, engine.now()));
          await audited(engine, api, {
            actorId: userId, action: 'central.revokeAccount',
            details: { revokedAt: done.revokedAt, created: done.created, keys: done.keys.map((k) => k.fingerprint) },
          });
          return done;
        });
        out(gl, r, () => [
          `${r.created ? 'revoked' : 'already revoked'}: account ${r.username} at ${r.revokedAt}; every desk refuses its sign-in from its next sync`,
          r.keys.length
            ? `publisher key(s) revoked: ${r.keys.map((k) => groupedFingerprint(k.fingerprint)).join(', ')}`
            : 'no publisher key was certified for it',
        ].join('\n'));
      } else if (o.desk) {
        const desk = o.desk;
        const r = await asDeskAdmin(kit, gl, async (engine, api, userId) => {
          const done = await atCentre(kit, admin, () => revokeDesk(admin, desk));
          await audited(engine, api, { actorId: userId, action: 'central.revokeDesk', subject: done.deskId, details: { sessionsEnded: done.sessionsEnded } });
          return done;
        });
        out(gl, r, () => `revoked desk ${desk} (${r.deskId}) at ${r.revokedAt}; ${r.sessionsEnded} open session(s) ended`);
      } else {
        const passphrase = env('WATCHDESK_CENTRAL_PASSPHRASE');
        const fp = plainFingerprint(o.key!);
        const r = await asDeskAdmin(kit, gl, async (engine, api, userId) => {
          const done = await atCentre(kit, admin, () => revokeKey(admin, passphrase, fp, engine.now()));
          await audited(engine, api, { actorId: userId, action: 'central.revokeKey', details: { fingerprint: done.fingerprint } });
          return done;
        });
        out(gl, r, () => `revoked key ${groupedFingerprint(r.fingerprint)} (${r.username}); desks refuse what it signs from their next sync`);
      }
    });

  // Accounts of the department (issue 16): created once here, root-signed, applied by every desk's next sync.
  const account = central.command('account').description("the department's accounts: created once at the centre, signing in at the desks of their checkpoints (WATCHDESK_CENTRAL_PASSPHRASE)");
  const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
  const rolesOf = (v: string): string[] => v.split(',').map((r) => r.trim()).filter(Boolean);

  account
    .command('add')
    .description('create an account of the department; its first password from WATCHDESK_ACCOUNT_PASSWORD; a new signing key of its own')
    .requiredOption('--username <name>', 'the username, the same at every desk')
    .requiredOption('--roles <list>', 'comma-separated roles: officer, supervisor, auditor, admin')
    .option('--checkpoint <name>', 'a checkpoint where it may sign in (repeat for several)', collect)
    .option('--all-checkpoints', 'it may sign in at every checkpoint')
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .action(async (o: { username: string; roles: string; checkpoint?: string[]; allCheckpoints?: boolean; url: string; ca: string }) => {
      const gl = g();
      if (Boolean(o.checkpoint?.length) === Boolean(o.allCheckpoints)) throw kit.fail('say where it signs in: --checkpoint NAME (repeat for several) or --all-checkpoints');
      const admin = adminTarget(kit, o.url, o.ca);
      const passphrase = env('WATCHDESK_CENTRAL_PASSPHRASE');
      const password = env('WATCHDESK_ACCOUNT_PASSWORD');
      const r = await atCentre(kit, admin, () => createAccount(admin, passphrase, {
        username: o.username, password, roles: rolesOf(o.roles), checkpoints: o.allCheckpoints ? null : o.checkpoint!,
      }));
      out(gl, r, () => [
        `created: account ${r.username} (${r.id}), roles ${r.roles.join(', ')}, ${accountWhere(r.checkpoints)}, record #${r.seq}`,
        `signing key ${groupedFingerprint(r.keyFingerprint)}; every desk has it from its next sync (watchdesk sync)`,
      ].join('\n'));
    });

  account
    .command('update')
    .description('change an account of the department (roles, checkpoints, disabled, password); desks apply it at their next sync')
    .requiredOption('--username <name>', 'the account to change')
    .option('--roles <list>', 'comma-separated roles, replacing its roles')
    .option('--checkpoint <name>', 'a checkpoint where it may sign in, replacing its checkpoints (repeat for several)', collect)
    .option('--all-checkpoints', 'it may sign in at every checkpoint')
    .option('--disable', 'it signs in nowhere (its key signs nothing from the record on)')
    .option('--enable', 'enable it again')
    .option('--password', 'a new password from WATCHDESK_ACCOUNT_PASSWORD, with a new signing key (as a reset on a desk)')
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .action(async (o: {
      username: string; roles?: string; checkpoint?: string[]; allCheckpoints?: boolean; disable?: boolean; enable?: boolean; password?: boolean; url: string; ca: string;
    }) => {
      const gl = g();
      if (o.checkpoint?.length && o.allCheckpoints) throw kit.fail('say either --checkpoint NAME or --all-checkpoints, not both');
      if (o.disable && o.enable) throw kit.fail('say either --disable or --enable, not both');
      const change: DepartmentAccountChange = {
        ...(o.roles !== undefined ? { roles: rolesOf(o.roles) } : {}),
        ...(o.checkpoint?.length ? { checkpoints: o.checkpoint } : o.allCheckpoints ? { checkpoints: null } : {}),
        ...(o.disable ? { disabled: true } : o.enable ? { disabled: false } : {}),
        ...(o.password ? { password: env('WATCHDESK_ACCOUNT_PASSWORD') } : {}),
      };
      if (!Object.keys(change).length) throw kit.fail('say what to change: --roles, --checkpoint/--all-checkpoints, --disable/--enable or --password');
      const admin = adminTarget(kit, o.url, o.ca);
      const passphrase = env('WATCHDESK_CENTRAL_PASSPHRASE');
      const r = await atCentre(kit, admin, () => updateAccount(admin, passphrase, o.username, change));
      out(gl, r, () => [
        `changed: account ${r.username}, roles ${r.roles.join(', ')}, ${accountWhere(r.checkpoints)}${r.disabled ? ', disabled' : ''}, record #${r.seq}`,
        `signing key ${groupedFingerprint(r.keyFingerprint)}; every desk applies it at its next sync`,
      ].join('\n'));
    });

  account
    .command('list')
    .description("list the department's accounts (username, roles, checkpoints, record number; never a hash)")
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .action(async (o: { url: string; ca: string }) => {
      const gl = g();
      const admin = adminTarget(kit, o.url, o.ca);
      const r = await atCentre(kit, admin, () => listAccounts(admin));
      out(gl, r, () => (r.length
        ? r.map((a) => `${a.username}\t${a.roles.join(',')}\t${a.checkpoints === null ? '(every checkpoint)' : a.checkpoints.join(',')}\t#${a.seq}${a.disabled ? '\tdisabled' : ''}`).join('\n')
        : 'the department has no accounts yet'));
    });

  central
    .command('log')
    .description("print the centre's administration log (who did what there, oldest first): ids, names, fingerprints and counts")
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .option('--limit <n>', 'at most this many rows')
    .action(async (o: { url: string; ca: string; limit?: string }) => {
      const gl = g();
      const limit = o.limit === undefined ? undefined : Number(o.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw kit.fail('--limit takes a whole number, at least 1');
      const admin = adminTarget(kit, o.url, o.ca);
      const r = await atCentre(kit, admin, () => listAdminLog(admin, limit));
      out(gl, r, () => (r.length ? r.map((x) => `${x.id}\t${x.at}\t${x.actor}\t${x.action}\t${JSON.stringify(x.details)}`).join('\n') : 'the administration log is empty'));
    });

  central
    .command('verify')
    .description("recompute every desk's audit chain as the centre holds it: a gap or a rewritten row is found (exit 1 when one is)")
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .action(async (o: { url: string; ca: string }) => {
      const gl = g();
      const admin = adminTarget(kit, o.url, o.ca);
      const r = await atCentre(kit, admin, async () => {
        const revoked = new Set((await listDesks(admin)).filter((d) => d.revokedAt !== null).map((d) => d.deskId));
        return (await verifyDeskChains(admin)).map((d) => ({ ...d, revoked: revoked.has(d.deskId) }));
      });
      out(gl, r, () => verifyText(r));
      if (r.some((d) => !d.ok)) process.exitCode = 1;
    });

  central
    .command('purge')
    .description("blank personal data of the centre's crossings older than N days (ids and hashes stay); audited on this desk (an admin)")
    .requiredOption('--days <n>', 'age in days')
    .requiredOption('--url <url>', URL_HELP)
    .requiredOption('--ca <file>', CA_HELP)
    .action(async (o: { days: string; url: string; ca: string }) => {
      const gl = g();
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 1) throw kit.fail('--days takes a whole number of days, at least 1');
      const admin = adminTarget(kit, o.url, o.ca);
      const r = await asDeskAdmin(kit, gl, async (engine, api, userId) => {
        const done = await atCentre(kit, admin, () => purgeCentral(admin, days, engine.now()));
        await audited(engine, api, { actorId: userId, action: 'central.purge', details: { days, cutoff: done.cutoff, crossings: done.crossings, hits: done.hits, hitEvents: done.hitEvents } });
        return done;
      });
      out(gl, r, () => `purged ${r.crossings} crossings, ${r.hits} hits and ${r.hitEvents} hit events at the centre from before ${r.cutoff}`);
    });

  // Department-wide reading (browse.ts): as the desk's own login; the centre decides the scope.
  withCrossingsFilter(
    central
      .command('crossings')
      .description("the crossings at the centre, newest first (an auditor or supervisor): every checkpoint's on an auditing desk, else this desk's checkpoint's; audited on this desk"),
  )
    .option('--offset <n>', 'crossings to skip', '0')
    .option('--limit <n>', 'crossings to show (at most 500)', '100')
    .action(async (o: CrossingsOptions & { offset: string; limit: string }) => {
      const gl = g();
      const offset = Number(o.offset);
      const limit = Number(o.limit);
      if (!Number.isInteger(offset) || offset < 0) throw kit.fail('--offset takes a whole number, at least 0');
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw kit.fail('--limit takes a whole number from 1 to 500');
      const r = await asUser(gl, (api) => api.call('central.crossings', { ...crossingsFilter(kit, o), offset, limit }));
      out(gl, r, () => crossingsText(r, o.checkpoint));
    });

  // The dashboard counted at the centre (central-dashboard.ts): the centre decides the scope.
  registerCentralDashboard(central, kit);

  withCrossingsFilter(
    central
      .command('export')
      .description('export records held at the centre')
      .command('crossings')
      .description("export the crossings at the centre to xlsx or csv (an auditor or supervisor; scope as for central crossings); audited on this desk with the file's SHA-256"),
  )
    .requiredOption('--out <file>', 'output file (.xlsx or .csv; an existing file is refused)')
    .option('--overwrite', 'replace the --out file if it exists')
    .action(async (o: CrossingsOptions & { out: string; overwrite?: boolean }) => {
      const gl = g();
      const lower = o.out.toLowerCase();
      const format = lower.endsWith('.csv') ? 'csv' : lower.endsWith('.xlsx') ? 'xlsx' : null;
      if (!format) throw kit.fail('--out must end in .xlsx or .csv');
      assertWritable(o.out, o.overwrite);
      // The engine writes the file (complete before it has its name), then audits it.
      const r = await asUser(gl, (api) => api.call('central.crossingsExport', { ...crossingsFilter(kit, o), format }), {
        exportTo: { path: resolve(o.out), overwrite: Boolean(o.overwrite) },
      });
      out(gl, { file: o.out, rows: r.rows, sha256: r.sha256, scope: r.scope }, () => `wrote ${r.rows} crossings (${o.checkpoint ? `checkpoint ${o.checkpoint}` : r.scope === 'department' ? 'every checkpoint' : "this desk's checkpoint"}) to ${o.out} (sha256 ${r.sha256})`);
    });
}

/** The filter options of `central crossings` and `central export crossings`, as typed. */
interface CrossingsOptions {
  from?: string;
  to?: string;
  checkpoint?: string;
  officer?: string;
  direction?: string;
  outcome?: string;
  list?: string;
  band?: string;
  decision?: string;
  flagged?: boolean;
}

function withCrossingsFilter(cmd: Command): Command {
  return cmd
    .option('--from <day>', "first day (YYYY-MM-DD, each crossing's local day at its checkpoint)")
    .option('--to <day>', "last day (YYYY-MM-DD, each crossing's local day at its checkpoint)")
    .option('--checkpoint <name>', 'only this checkpoint')
    .option('--officer <username>', "only this officer's")
    .option('--direction <d>', `only ${DIRECTIONS.join(' or ')}`)
    .option('--outcome <o>', `only this outcome: ${OUTCOMES.join(', ')}`)
    .option('--list <name>', 'only crossings with a hit on this list (name or id)')
    .option('--band <b>', `only crossings with a hit of this band: ${BANDS.join(', ')}`)
    .option('--decision <d>', `only crossings with a hit whose latest decision is: ${DECISIONS.join(', ')}`)
    .option('--flagged', 'only crossings with a hit at or above review');
}

function oneOf<T extends string>(kit: CliKit, v: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw kit.fail(`${flag} takes one of ${allowed.join(', ')}`);
  return v as T;
}

/** The API filter of the options (the API checks days and lengths). */
function crossingsFilter(kit: CliKit, o: CrossingsOptions): Omit<ApiInput<'central.crossings'>, 'offset' | 'limit'> {
  return {
    from: o.from, to: o.to, checkpoint: o.checkpoint, officer: o.officer, list: o.list, flaggedOnly: Boolean(o.flagged),
    direction: oneOf(kit, o.direction, DIRECTIONS, '--direction'),
    outcome: oneOf(kit, o.outcome, OUTCOMES, '--outcome'),
    band: oneOf(kit, o.band, BANDS, '--band'),
    decision: oneOf(kit, o.decision, DECISIONS, '--decision'),
  };
}

function localTime(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/**
 * A page of the centre's crossings, one line each (local time at its checkpoint), hits indented
 * below as "list:external id". The header names the scope and the `checkpoint` filter (as the
 * centre spells it when it is among `r.checkpoints`); "no crossings" when none match.
 */
export function crossingsText(r: CentralCrossingsResult, checkpoint?: string): string {
  const named = checkpoint ? (r.checkpoints.find((n) => n.toLowerCase() === checkpoint.toLowerCase()) ?? checkpoint) : null;
  const own = r.checkpoints.length === 1 ? ` (${r.checkpoints[0]})` : '';
  const where = named ? `checkpoint ${named}` : r.scope === 'department' ? 'every checkpoint' : `this desk's checkpoint${own} only`;
  const count = r.total === 0 ? 'no crossings'
    : r.crossings.length ? `${r.offset + 1}-${r.offset + r.crossings.length} of ${r.total} crossing(s)` : `none of ${r.total} crossing(s) at offset ${r.offset}`;
  const head = `${where}: ${count}`;
  const lines = r.crossings.flatMap((c) => [
    [localTime(c.occurredAt, c.timeZone), c.checkpoint, c.desk ?? '-', c.direction, c.outcome, c.officer ?? '-', c.purged ? '(purged)' : (c.travelerName ?? '-'), c.flagged ? 'FLAGGED' : ''].join('\t').trimEnd(),
    ...c.hits.map((h) => `  ${h.list ?? h.listId ?? '?'}:${h.entryId} ${h.listedName ?? ''} ${h.score.toFixed(2)} ${h.band} ${h.decision}${h.decidedBy ? ` by ${h.decidedBy}` : ''}`),
  ]);
  return [head, ...lines].join('\n');
}

/** A desk's chain as `central verify` prints it: DeskChain and whether the desk is revoked. */
export interface VerifiedDesk {
  deskId: string;
  deskName: string;
  rows: number;
  ok: boolean;
  message: string;
  revoked: boolean;
}

/**
 * `central verify`'s text: one line per desk, "name [short id] (revoked)", then "intact, N rows"
 * or "BROKEN, N rows: what is wrong". The short id (first 8 hex digits) tells apart a revoked
 * desk and the new desk that reuses its name.
 */
export function verifyText(chains: VerifiedDesk[]): string {
  if (!chains.length) return 'no desks registered';
  return chains.map((d) => [
    `${d.deskName} [${d.deskId.slice(0, 8)}]${d.revoked ? ' (revoked)' : ''}`,
    d.ok ? `intact, ${d.rows} rows` : `BROKEN, ${d.rows} rows: ${d.message}`,
  ].join('\t')).join('\n');
}
