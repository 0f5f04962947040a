/**
 * Child process for the two-process audit test (issue 15 item 7): opens the database with the key
 * given in hex and appends COUNT rows, every other one inside a transaction of its own change (as
 * the engine does), starting at START_AT (epoch ms) so that two children append at the same time.
 * Prints the number of appends that succeeded and the failures' messages as JSON.
 * Usage: node --import tsx test/unit/audit-append-child.ts DB_PATH KEY_HEX COUNT START_AT TAG
 */
import { appendAudit } from '../../electron/core/audit';
import { openDatabase } from '../../electron/core/db/database';

const [dbPath, keyHex, count, startAt, tag] = process.argv.slice(2) as [string, string, string, string, string];
const db = openDatabase(dbPath, Buffer.from(keyHex, 'hex'));
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 5));
let ok = 0;
const failures: string[] = [];
for (let i = 0; i < Number(count); i++) {
  try {
    if (i % 2) db.transaction(() => {
      db.prepare("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(`test.${tag}`, String(i));
      appendAudit(db, { actorId: null, action: 'test.concurrent', subject: tag, details: { i } });
    })();
    else appendAudit(db, { actorId: null, action: 'test.concurrent', subject: tag, details: { i } });
    ok++;
  } catch (e) {
    failures.push(e instanceof Error ? e.message : String(e));
  }
}
db.close();
process.stdout.write(`${JSON.stringify({ ok, failures: failures.slice(0, 5), failed: failures.length })}\n`);
