/**
 * Child process for the key-rotation crash tests: signs in as the admin and rotates the database
 * key. The parent sets WATCHDESK_TEST_CRASH_AT so that the process SIGKILLs itself at one step.
 * Usage: node --import tsx test/unit/rotate-child.ts DB_PATH (password and passphrase in env).
 */
import { createClient } from '../../shared/client';
import { Engine } from '../../electron/core/api/engine';

const dbPath = process.argv[2]!;
const engine = new Engine({ dbPath });
const api = createClient((r) => engine.handle(r));
await api.call('auth.signIn', { username: 'admin', password: process.env.WATCHDESK_PASSWORD! });
const r = await api.call('keys.rotate', { password: process.env.WATCHDESK_PASSWORD!, recoveryPassphrase: process.env.WATCHDESK_PASSPHRASE! });
engine.close();
process.stdout.write(`${JSON.stringify(r)}\n`);
