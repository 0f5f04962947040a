/**
 * Child process for import-crash.test.ts: signs in to the database given on the command line and
 * imports a file; the parent sets WATCHDESK_TEST_PAUSE_PUBLISH_MS so the publication transaction
 * pauses (and says so on stderr) until the parent kills this process with SIGKILL.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';

const [dbPath, file, listName, password] = process.argv.slice(2) as [string, string, string, string];
const engine = new Engine({ dbPath });
const api = createClient((r) => engine.handle(r));
await api.call('auth.signIn', { username: 'admin', password });
await api.call('watchlists.import', { listName, fileName: basename(file), contentBase64: readFileSync(file).toString('base64') });
process.stdout.write('IMPORT FINISHED (the parent should have killed this process)\n');
engine.close();
