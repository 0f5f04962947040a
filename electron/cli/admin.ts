/**
 * The administration commands of `watchdesk` (issue 5): users and roles, passwords, recovery, key
 * rotation, backup and restore, settings, retention and the audit trail. Registered on the main
 * program by `electron/cli/main.ts`; they drive the same handler table as the app.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ApiClient } from '../../shared/client';
import { ROLE_NAMES, type AuditVerifyResult, type RoleName, type UserAccountView } from '../../shared/contract';
import type { Engine, EngineOptions } from '../core/api/engine';
import { assertWritable } from '../core/files';

interface Globals {
  db: string;
  user: string;
  format: 'text' | 'json';
}

/** What the admin commands need from the main program. */
export interface CliKit {
  g: () => Globals;
  out: (g: Globals, json: unknown, text: () => string) => void;
  asUser: <T>(g: Globals, fn: (api: ApiClient) => Promise<T>, extra?: Partial<EngineOptions>) => Promise<T>;
  engineFor: (g: Globals, extra?: Partial<EngineOptions>) => { engine: Engine; api: ApiClient };
  env: (name: string) => string;
  fail: (message: string) => Error;
}

function parseRoles(kit: CliKit, list: string): RoleName[] {
  const roles = list.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = roles.filter((r) => !(ROLE_NAMES as readonly string[]).includes(r));
  if (bad.length || !roles.length) throw kit.fail(`--roles takes a comma-separated list of ${ROLE_NAMES.join(', ')}`);
  return roles as RoleName[];
}

async function findUser(kit: CliKit, api: ApiClient, name: string): Promise<UserAccountView> {
  const u = (await api.call('users.list')).find((x) => x.username.toLowerCase() === name.toLowerCase());
  if (!u) throw kit.fail(`no user named ${name}`);
  return u;
}

/** What the department says of a department account here (issue 16), as `users list` prints it. */
const DEPARTMENT_STATE = {
  here: 'department account',
  elsewhere: "department account, not assigned to this desk's checkpoint (cannot sign in here)",
  revoked: 'department account, revoked by the department (cannot sign in)',
} as const;

function userLine(u: UserAccountView): string {
  const state = u.department === 'revoked' ? 'revoked' : u.disabled ? 'disabled' : u.lockedUntil ? `locked until ${u.lockedUntil}` : 'active';
  const slot = u.hasKeySlot || u.disabled || u.department === 'revoked' || u.department === 'elsewhere' ? '' : '\t(no key slot yet: signs in while the desk is unlocked)';
  return `${u.username}\t${u.roles.join(',')}\t${state}${slot}${u.department ? `\t[${DEPARTMENT_STATE[u.department]}]` : ''}`;
}

function verifyLine(r: AuditVerifyResult): string {
  const ext = r.externalHeadSeq === null ? 'no head outside the database' : `head outside the database ${r.externalHeadSeq} ${r.externalHeadHash}`;
  const signing = `signed rows ${r.signedRows}, unsigned rows from before signing ${r.unsignedLegacyRows}, unsigned desk rows ${r.unsignedSystemRows}; root key ${r.rootKey ?? '(none yet)'}`;
  return `${r.message}\nchain head ${r.headSeq} ${r.headHash}; ${ext}\n${signing}${r.warnings.map((w) => `\nwarning: ${w}`).join('')}${r.anchor ? `\n${anchorLine(r.anchor)}` : ''}`;
}

/** What `audit verify --anchor` read from the file and found (anchor.ts). */
function anchorLine(a: NonNullable<AuditVerifyResult['anchor']>): string {
  const found = a.ok ? `held; recorded by row ${a.exportSeq}` : 'NOT held as recorded';
  return `anchor (${a.source}, made ${a.at}): row ${a.seq} ${a.hash}, root key ${a.root ?? '(none)'}: ${found}; file sha256 ${a.fileSha256}`;
}

/** The bytes of the file given to `audit verify --anchor`; a clear error when it cannot be read. */
function readAnchorFile(kit: CliKit, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw kit.fail(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Adds the administration commands to `program`. */
export function registerAdminCommands(program: Command, kit: CliKit): void {
  const { g, out, asUser, env } = kit;

  const users = program.command('users').description('user accounts and roles (admin)');
  users
    .command('list')
    .description('every account with its roles and state')
    .action(async () => {
      const gl = g();
      const r = await asUser(gl, (api) => api.call('users.list'));
      out(gl, r, () => r.map(userLine).join('\n'));
    });
  users
    .command('add <name>')
    .description('create an account; its password is read from WATCHDESK_NEW_PASSWORD')
    .requiredOption('--roles <roles>', `comma-separated: ${ROLE_NAMES.join(', ')}`)
    .action(async (name: string, o: { roles: string }) => {
      const gl = g();
      const roles = parseRoles(kit, o.roles);
      const r = await asUser(gl, (api) => api.call('users.create', { username: name, password: env('WATCHDESK_NEW_PASSWORD'), roles }));
      out(gl, r, () => `created ${userLine(r)}`);
    });
  users
    .command('roles <name>')
    .description("replace an account's roles")
    .requiredOption('--roles <roles>', `comma-separated: ${ROLE_NAMES.join(', ')}`)
    .action(async (name: string, o: { roles: string }) => {
      const gl = g();
      const roles = parseRoles(kit, o.roles);
      const r = await asUser(gl, async (api) => api.call('users.update', { userId: (await findUser(kit, api, name)).id, roles }));
      out(gl, r, () => userLine(r));
    });
  users
    .command('disable <name>')
    .description('disable an account (its key slot is removed and its sessions end)')
    .action(async (name: string) => {
      const gl = g();
      const r = await asUser(gl, async (api) => api.call('users.update', { userId: (await findUser(kit, api, name)).id, disabled: true }));
      out(gl, r, () => userLine(r));
    });
  users
    .command('enable <name>')
    .description('enable an account again with a new password from WATCHDESK_NEW_PASSWORD')
    .action(async (name: string) => {
      const gl = g();
      const r = await asUser(gl, async (api) =>
        api.call('users.update', { userId: (await findUser(kit, api, name)).id, disabled: false, password: env('WATCHDESK_NEW_PASSWORD') }),
      );
      out(gl, r, () => userLine(r));
    });
  users
    .command('reset-password <name>')
    .description("set an account's password to WATCHDESK_NEW_PASSWORD (lifts a lockout)")
    .action(async (name: string) => {
      const gl = g();
      const r = await asUser(gl, async (api) =>
        api.call('users.resetPassword', { userId: (await findUser(kit, api, name)).id, password: env('WATCHDESK_NEW_PASSWORD') }),
      );
      out(gl, r, () => `password reset: ${userLine(r)}`);
    });

  program
    .command('passwd')
    .description('change your own password from WATCHDESK_PASSWORD to WATCHDESK_NEW_PASSWORD')
    .action(async () => {
      const gl = g();
      await asUser(gl, (api) => api.call('auth.changePassword', { currentPassword: env('WATCHDESK_PASSWORD'), newPassword: env('WATCHDESK_NEW_PASSWORD') }));
      out(gl, { ok: true }, () => 'password changed');
    });

  program
    .command('recover')
    .description("with the recovery passphrase (WATCHDESK_PASSPHRASE), set the --user admin's password to WATCHDESK_NEW_PASSWORD")
    .action(async () => {
      const gl = g();
      const { engine, api } = kit.engineFor(gl);
      try {
        if (!engine.initialized) throw kit.fail(`no Watchdesk database at ${gl.db}`);
        const s = await api.call('auth.recover', { username: gl.user, recoveryPassphrase: env('WATCHDESK_PASSPHRASE'), newPassword: env('WATCHDESK_NEW_PASSWORD') });
        out(gl, { user: s.user }, () => `new password set for ${s.user.username}`);
      } finally {
        engine.close();
      }
    });

  program
    .command('keys')
    .description('database keys')
    .command('rotate')
    .description('copy the database under a new key and swap it in (WATCHDESK_PASSWORD, WATCHDESK_PASSPHRASE)')
    .action(async () => {
      const gl = g();
      const r = await asUser(gl, (api) => api.call('keys.rotate', { password: env('WATCHDESK_PASSWORD'), recoveryPassphrase: env('WATCHDESK_PASSPHRASE') }));
      out(gl, r, () => `database key rotated: ${r.previousKeyId} -> ${r.keyId}; other accounts get a slot for the new key at their next sign-in on an unlocked desk`);
    });

  program
    .command('backup')
    .description('write an encrypted backup, restorable only with the recovery passphrase (WATCHDESK_PASSPHRASE)')
    .requiredOption('--out <file>', 'backup file to create (an existing file is refused)')
    .option('--overwrite', 'replace the --out file if it exists')
    .action(async (o: { out: string; overwrite?: boolean }) => {
      const gl = g();
      // Refused now rather than after the copy; the engine's write refuses atomically too.
      assertWritable(o.out, o.overwrite);
      mkdirSync(dirname(resolve(o.out)), { recursive: true });
      // The engine verifies the backup, writes it (read back before it gets its name), then audits it.
      const r = await asUser(gl, (api) => api.call('backup.create', { recoveryPassphrase: env('WATCHDESK_PASSPHRASE') }), {
        exportTo: { path: resolve(o.out), overwrite: Boolean(o.overwrite) },
      });
      out(gl, { file: o.out, sha256: r.sha256, bytes: r.bytes, auditHeadSeq: r.auditHeadSeq }, () =>
        `wrote and verified ${o.out} (${r.bytes} bytes, sha256 ${r.sha256}, audit head ${r.auditHeadSeq})`);
    });

  program
    .command('restore <file>')
    .description('restore a backup where no database exists (WATCHDESK_PASSPHRASE); --user gets the new password WATCHDESK_PASSWORD')
    .action(async (file: string) => {
      const gl = g();
      let content: Buffer;
      try {
        content = readFileSync(file);
      } catch {
        throw kit.fail(`cannot read ${file}`);
      }
      mkdirSync(dirname(resolve(gl.db)), { recursive: true });
      const { engine, api } = kit.engineFor(gl);
      try {
        const s = await api.call('backup.restore', {
          contentBase64: content.toString('base64'), recoveryPassphrase: env('WATCHDESK_PASSPHRASE'), username: gl.user, newPassword: env('WATCHDESK_PASSWORD'),
        });
        const v = await api.call('audit.verify');
        out(gl, { db: resolve(gl.db), user: s.user, audit: v }, () => `restored ${resolve(gl.db)}; ${s.user.username} signs in with the new password\n${verifyLine(v)}`);
      } finally {
        engine.close();
      }
    });

  program
    .command('settings')
    .description('show or change desk settings (admin to change)')
    .option('--idle-minutes <n>', 'lock an idle desk after this many minutes')
    .option('--retention-days <n>', 'keep personal data of crossings this many days (0: for ever)')
    .option('--stale-days <n>', 'flag lists older than this many days (supervisor or admin)')
    .option('--offline-limit-hours <n>', 'a desk joined to a centre warns after this many hours without a sync')
    .action(async (o: { idleMinutes?: string; retentionDays?: string; staleDays?: string; offlineLimitHours?: string }) => {
      const gl = g();
      const change = {
        ...(o.idleMinutes !== undefined ? { idleMinutes: Number(o.idleMinutes) } : {}),
        ...(o.retentionDays !== undefined ? { retentionDays: Number(o.retentionDays) } : {}),
        ...(o.offlineLimitHours !== undefined ? { offlineLimitHours: Number(o.offlineLimitHours) } : {}),
      };
      const r = await asUser(gl, async (api) => {
        if (o.staleDays !== undefined) await api.call('settings.setStaleLimit', { staleDays: Number(o.staleDays) });
        return Object.keys(change).length ? api.call('settings.update', change) : api.call('settings.get');
      });
      out(gl, r, () => `idle lock ${r.idleMinutes} min; retention ${r.retentionDays ? `${r.retentionDays} days` : 'for ever'}; last purge ${r.lastPurgeAt ?? 'never'}; lists stale after ${r.staleDays} days; offline warning after ${r.offlineLimitHours} h without a sync (desks joined to a centre)`);
    });

  program
    .command('retention')
    .description('retention of personal data')
    .command('purge')
    .description('purge personal data older than the retention setting')
    .action(async () => {
      const gl = g();
      const r = await asUser(gl, (api) => api.call('retention.purge'));
      out(gl, r, () => (r.cutoff ? `purged personal data before ${r.cutoff}: ${r.screenings} screenings, ${r.crossings} crossings, ${r.hits} hits` : 'retention is off (0 days): nothing purged'));
    });

  const audit = program.command('audit').description('audit trail');
  audit
    .command('verify')
    .description('check the audit chain and its head kept outside the database')
    .option('--anchor <file>', 'also check the audit anchor an export (xlsx, csv) or a backup carries: the trail must still hold that row with that hash, under that root key, and record the file')
    .action(async (o: { anchor?: string }) => {
      const gl = g();
      const anchor = o.anchor ? { fileName: basename(o.anchor), contentBase64: readAnchorFile(kit, o.anchor).toString('base64') } : undefined;
      const r = await asUser(gl, (api) => api.call('audit.verify', anchor ? { anchor } : {}));
      out(gl, r, () => verifyLine(r));
      if (!r.ok) process.exitCode = 1;
    });
  audit
    .command('keys')
    .description('the signing keys the trail trusts, with fingerprints (compare the root with the one handed over on paper)')
    .action(async () => {
      const gl = g();
      const r = await asUser(gl, (api) => api.call('audit.keys'));
      out(gl, r, () => [`root ${r.root ?? '(none yet: the desk signs from its next admin sign-in)'}`,
        ...r.keys.map((k) => `${k.fingerprint}\t${k.username ?? k.userId}\t${k.how}\tfrom row ${k.enrolledAt}\t${k.revokedFrom === null ? 'valid' : `revoked from row ${k.revokedFrom}`}`)].join('\n'));
    });
  audit
    .command('list')
    .description('the trail, newest first')
    .option('--action <action>', 'only this action (or its family, e.g. "user")')
    .option('--limit <n>', 'rows', '50')
    .action(async (o: { action?: string; limit: string }) => {
      const gl = g();
      const r = await asUser(gl, (api) => api.call('audit.list', { action: o.action, limit: Number(o.limit) }));
      out(gl, r, () => r.entries.map((e) => `${e.seq}\t${e.at}\t${e.actorName ?? e.actorId ?? '-'}\t${e.action}\t${e.subject ?? ''}\t${JSON.stringify(e.details)}`).join('\n'));
    });
}
