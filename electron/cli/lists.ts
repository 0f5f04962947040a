/**
 * A list's lifecycle from the command line (issue 13, core/watchlists/lifecycle.ts):
 *
 *   watchdesk rename-list --list <name> --to <new name>   [--approver <supervisor>]
 *   watchdesk list-kind --list <name> --to <kind>         [--approver <supervisor>]
 *   watchdesk retire-list --list <name>                   [--approver <supervisor>]
 *   watchdesk reactivate-list --list <name>               [--approver <supervisor>]
 *
 * Supervisors only. `--approver` names the second supervisor a list with four eyes needs (their
 * password in WATCHDESK_APPROVER_PASSWORD, never on the command line); without it the engine
 * refuses such a list with its reason. Each prints the list as it is afterwards (text or JSON).
 */
import type { Command } from 'commander';
import type { ApiClient } from '../../shared/client';
import type { ListView } from '../../shared/contract';
import { LIST_KINDS, type ListKind } from '../../shared/domain';
import type { CliKit } from './admin';

const APPROVER_HELP = 'a second supervisor who approves (their password in WATCHDESK_APPROVER_PASSWORD); needed when new versions of the list need one';

/** The list named `name` (case-insensitively); throws the kit's error when there is none. */
async function listNamed(kit: CliKit, api: ApiClient, name: string): Promise<ListView> {
  const list = (await api.call('watchlists.list')).find((l) => l.name.toLowerCase() === name.trim().toLowerCase());
  if (!list) throw kit.fail(`no list named ${name}`);
  return list;
}

/** One line for a list after a change: "Regional warrants (wanted): retired 2026-12-07, version 3 kept for audit". */
export function lifecycleText(l: ListView): string {
  const v = l.activeVersion ?? l.retiredVersion ?? null;
  const state = l.retiredAt
    ? `retired ${l.retiredAt.slice(0, 10)}${v ? `, version ${v.number} kept for audit (not screened)` : ''}`
    : v ? `screened with version ${v.number} (${v.entryCount} entries)` : 'no active version';
  return `${l.name} (${l.kind}): ${state}`;
}

/** Registers rename-list, list-kind, retire-list and reactivate-list on `program`. */
export function registerListCommands(program: Command, kit: CliKit): void {
  const approval = (approver: string | undefined) => (approver === undefined ? undefined : { username: approver, password: kit.env('WATCHDESK_APPROVER_PASSWORD') });
  const run = async (o: { list: string; approver?: string }, call: (api: ApiClient, list: ListView, a: ReturnType<typeof approval>) => Promise<ListView>) => {
    const gl = kit.g();
    // The approver's password is read before anything is opened: a missing one fails at once.
    const a = approval(o.approver);
    const l = await kit.asUser(gl, async (api) => call(api, await listNamed(kit, api, o.list), a));
    kit.out(gl, l, () => lifecycleText(l));
  };

  program
    .command('rename-list')
    .description("rename a list (supervisor; audited with the old and new name; saved column mappings follow)")
    .requiredOption('--list <name>', 'the list as it is named now')
    .requiredOption('--to <name>', 'the new name (unique, case-insensitively)')
    .option('--approver <name>', APPROVER_HELP)
    .action((o: { list: string; to: string; approver?: string }) =>
      run(o, (api, list, a) => api.call('watchlists.rename', { listId: list.id, name: o.to, approval: a })));

  program
    .command('list-kind')
    .description(`correct a list's kind: ${LIST_KINDS.join(', ')} (supervisor; audited with the old and new kind)`)
    .requiredOption('--list <name>', 'list name')
    .requiredOption('--to <kind>', LIST_KINDS.join(' | '))
    .option('--approver <name>', APPROVER_HELP)
    .action((o: { list: string; to: string; approver?: string }) => {
      if (!(LIST_KINDS as readonly string[]).includes(o.to)) throw kit.fail(`--to takes one of ${LIST_KINDS.join(', ')}`);
      return run(o, (api, list, a) => api.call('watchlists.setKind', { listId: list.id, kind: o.to as ListKind, approval: a }));
    });

  program
    .command('retire-list')
    .description('retire a list: no longer screened, at once; its versions and entries stay readable; no new version until reactivated (supervisor; audited)')
    .requiredOption('--list <name>', 'list name')
    .option('--approver <name>', APPROVER_HELP)
    .action((o: { list: string; approver?: string }) => run(o, (api, list, a) => api.call('watchlists.retire', { listId: list.id, approval: a })));

  program
    .command('reactivate-list')
    .description('reactivate a retired list: screened again with the version it had (supervisor; audited)')
    .requiredOption('--list <name>', 'list name')
    .option('--approver <name>', APPROVER_HELP)
    .action((o: { list: string; approver?: string }) => run(o, (api, list, a) => api.call('watchlists.reactivate', { listId: list.id, approval: a })));
}
