/** Helpers shared by the import tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient } from '../../shared/client';
import type { EntryView, ImportReport } from '../../shared/contract';
import { FIXTURES } from './helpers';

export const IMP = join(FIXTURES, 'import');
export const SHARED = join(import.meta.dirname, '../../../shared/data/watchlists');
export const b64 = (path: string) => readFileSync(path).toString('base64');

export function imp(api: ApiClient, file: string, listName: string, extra: Partial<Parameters<ApiClient['call']>[1] & object> = {}): Promise<ImportReport> {
  return api.call('watchlists.import', { listName, kind: 'wanted', fileName: file.split('/').pop()!, contentBase64: b64(join(IMP, file)), ...extra });
}

export async function entriesOf(api: ApiClient, listName: string): Promise<EntryView[]> {
  const l = (await api.call('watchlists.list')).find((x) => x.name === listName)!;
  return (await api.call('watchlists.entries', { listId: l.id, limit: 1000 })).entries;
}

export const strip = (e: EntryView) => ({
  row: e.sourceRow, names: e.names.map((n) => `${n.kind}:${n.name}`), dob: e.dateOfBirth, sex: e.sex, nat: e.nationalities,
  docs: e.documents.map((d) => `${d.type}:${d.number}${d.issuer ? `/${d.issuer}` : ''}`), ref: e.reference,
});

