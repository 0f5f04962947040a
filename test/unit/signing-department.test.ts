/**
 * The trust walk and accounts the department provisioned (issue 16), without PostgreSQL: a
 * `central.account` row grants roles and enrols a key only when the department root the desk
 * joined signed its record, newer than the last, for an account the desk did not create itself;
 * a row put into a trail by hand grants nothing; local grant rows cannot change such an account.
 * And the record's message: canonical, and any change to any field breaks the root's signature.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accountCredDigest, accountRecordMessage, verifyAccountRecord, type AccountGrant } from '../../electron/core/central/trust';
import { fingerprint, newSigningKey, publicKeyOf, rowMessage, signText, TrustWalk, type WalkRow } from '../../electron/core/signing';

const ADMIN = '11111111-1111-4111-8111-111111111111';
const OFFICER = '22222222-2222-4222-8222-222222222222';
const LOCAL = '33333333-3333-4333-8333-333333333333';
const CHECKPOINT = '44444444-4444-4444-8444-444444444444';

/** A trail under construction: each row gets a made-up hash and the signature of the key given. */
class Trail {
  readonly walk = new TrustWalk();
  private seq = 0;
  readonly admin = newSigningKey();

  /** Appends a row and returns the walk's verdict (null: it holds). */
  add(action: string, actor: string | null, subject: string | null, details: Record<string, unknown>, key: KeyObject | null): string | null {
    this.seq++;
    const hash = createHash('sha256').update(`${this.seq}:${action}:${JSON.stringify(details)}`).digest('hex');
    const row: WalkRow = {
      seq: this.seq, actor_id: actor, action, subject, details: JSON.stringify(details), hash,
      signer: key ? fingerprint(publicKeyOf(key)) : null, sig: key ? signText(key, rowMessage(hash)) : null,
    };
    return this.walk.step(row);
  }

  get last(): number {
    return this.seq;
  }

  /** A desk set up by ADMIN and joined to the department of `root`. */
  static joined(root: KeyObject): Trail {
    const t = new Trail();
    expect(t.add('setup', ADMIN, ADMIN, { signingKey: publicKeyOf(t.admin), roles: ['admin', 'supervisor', 'officer', 'auditor'] }, t.admin)).toBeNull();
    expect(t.add('central.join', ADMIN, 'desk', { rootFingerprint: fingerprint(publicKeyOf(root)) }, t.admin)).toBeNull();
    return t;
  }
}

const CRED = { username: 'made-up-officer', passwordHash: '$argon2id$made-up', signingWrapped: '{"made":"up"}' };

function grant(key: KeyObject, over: Partial<AccountGrant> = {}): AccountGrant {
  return { id: OFFICER, roles: ['officer'], checkpoints: [CHECKPOINT], disabled: false, signingKey: publicKeyOf(key), seq: 1, issuedAt: '2026-12-08T01:02:03.000Z', ...over };
}

/** The details of a `central.account` row for `g`, signed by `root` (the department key it names: `named`, by default root's). */
function record(root: KeyObject, g: AccountGrant, named: KeyObject = root): Record<string, unknown> {
  const credDigest = accountCredDigest(CRED);
  return { grant: g, credDigest, rootSig: signText(root, accountRecordMessage(g, credDigest)), departmentKey: publicKeyOf(named) };
}

describe('the trust walk and department account records', () => {
  it('grants roles, checkpoints and a key from a record the joined root signed, the key valid from the next row', () => {
    const root = newSigningKey();
    const officerKey = newSigningKey();
    const t = Trail.joined(root);
    expect(t.walk.departmentRoot).toBe(fingerprint(publicKeyOf(root)));
    // Its key signs nothing before its record.
    expect(t.add('auth.signIn', OFFICER, OFFICER, {}, officerKey)).toBe('it is signed by a key this desk does not trust');
    // Any trusted account may bring the record (the sync's): here the admin.
    expect(t.add('central.account', ADMIN, OFFICER, record(root, grant(officerKey)), t.admin)).toBeNull();
    const at = t.last;
    expect(t.walk.accounts.get(OFFICER)).toEqual({ roles: ['officer'], disabled: false, key: fingerprint(publicKeyOf(officerKey)), department: { checkpoints: [CHECKPOINT], seq: 1 } });
    expect(t.walk.keys.get(fingerprint(publicKeyOf(officerKey)))).toMatchObject({ userId: OFFICER, how: 'department', enrolledAt: at, until: null });
    expect(t.add('auth.signIn', OFFICER, OFFICER, {}, officerKey)).toBeNull();

    // A new key (a reset at the centre): the old one signs nothing from the record on.
    const next = newSigningKey();
    expect(t.add('central.account', ADMIN, OFFICER, record(root, grant(next, { seq: 2, roles: ['supervisor', 'officer'], checkpoints: null })), t.admin)).toBeNull();
    expect(t.add('crossing.record', OFFICER, null, {}, officerKey)).toMatch(/^it is signed by a key revoked at row/);
    expect(t.add('crossing.record', OFFICER, null, {}, next)).toBeNull();
    expect(t.walk.accounts.get(OFFICER)).toMatchObject({ roles: ['supervisor', 'officer'], department: { checkpoints: null, seq: 2 } });

    // Disabled: its key stops at once; enabled again with the same key, it signs again.
    expect(t.add('central.account', ADMIN, OFFICER, record(root, grant(next, { seq: 3, disabled: true })), t.admin)).toBeNull();
    expect(t.add('crossing.record', OFFICER, null, {}, next)).toMatch(/revoked/);
    expect(t.add('central.account', ADMIN, OFFICER, record(root, grant(next, { seq: 4 })), t.admin)).toBeNull();
    expect(t.add('crossing.record', OFFICER, null, {}, next)).toBeNull();
  });

  it('refuses a record put in by hand, signed by another root, replayed, for a local account, or before the desk joined; each grants nothing', () => {
    const root = newSigningKey();
    const other = newSigningKey();
    const officerKey = newSigningKey();
    const t = Trail.joined(root);
    const refused = (details: Record<string, unknown>, subject = OFFICER) => t.add('central.account', ADMIN, subject, details, t.admin);

    // A row inserted by hand, signed as any row of the admin, but its root signature forged or missing.
    expect(refused({ ...record(root, grant(officerKey)), rootSig: Buffer.alloc(64, 7).toString('base64') })).toBe("a department account record the department's root key did not sign");
    expect(refused({ ...record(root, grant(officerKey)), rootSig: undefined })).toBe("a department account record the department's root key did not sign");
    // Roles edited after signing.
    expect(refused({ ...record(root, grant(officerKey)), grant: grant(officerKey, { roles: ['admin'] }) })).toBe("a department account record the department's root key did not sign");
    // Signed by another key, which it names as the department's.
    expect(refused(record(other, grant(officerKey)))).toBe('a department account record that does not name the department root key this desk joined');
    // Malformed, or filed under another account.
    expect(refused({ ...record(root, grant(officerKey)), grant: { id: OFFICER } })).toBe('a department account record that is malformed');
    expect(refused(record(root, grant(officerKey)), LOCAL)).toBe('a department account record filed under another account');
    expect(t.walk.accounts.has(OFFICER)).toBe(false);
    expect(t.walk.keys.has(fingerprint(publicKeyOf(officerKey)))).toBe(false);

    // Replayed: the same record again, or an older one after a newer.
    expect(refused(record(root, grant(officerKey, { seq: 2 })))).toBeNull();
    expect(refused(record(root, grant(officerKey, { seq: 2, roles: ['admin'] })))).toBe('a department account record not newer than the one before (a replay)');
    expect(refused(record(root, grant(officerKey, { seq: 1, roles: ['admin'] })))).toBe('a department account record not newer than the one before (a replay)');
    expect(t.walk.accounts.get(OFFICER)?.roles).toEqual(['officer']);

    // An account the desk created itself is not the department's to change.
    const localKey = newSigningKey();
    expect(t.add('user.create', ADMIN, LOCAL, { roles: ['officer'], signingKey: publicKeyOf(localKey) }, t.admin)).toBeNull();
    expect(refused(record(root, grant(localKey, { id: LOCAL, roles: ['admin'] })), LOCAL)).toBe('a department account record for an account this desk created');
    expect(t.walk.accounts.get(LOCAL)?.roles).toEqual(['officer']);

    // Unsigned, the row is a user change that is not signed.
    expect(t.add('central.account', null, OFFICER, record(root, grant(officerKey, { seq: 3 })), null)).toBe('a user change that is not signed');

    // A desk that joined no department takes no record.
    const lone = new Trail();
    expect(lone.add('setup', ADMIN, ADMIN, { signingKey: publicKeyOf(lone.admin), roles: ['admin'] }, lone.admin)).toBeNull();
    expect(lone.add('central.account', ADMIN, OFFICER, record(root, grant(officerKey)), lone.admin)).toBe('a department account record on a desk that joined no department');
    // A join signed by an account that is not an admin pins nothing.
    const officerOfLone = newSigningKey();
    expect(lone.add('user.create', ADMIN, LOCAL, { roles: ['officer'], signingKey: publicKeyOf(officerOfLone) }, lone.admin)).toBeNull();
    expect(lone.add('central.join', LOCAL, 'desk', { rootFingerprint: fingerprint(publicKeyOf(root)) }, officerOfLone)).toBeNull();
    expect(lone.walk.departmentRoot).toBeNull();
  });

  it("refuses the desk's own grant rows on an account the department manages", () => {
    const root = newSigningKey();
    const officerKey = newSigningKey();
    const t = Trail.joined(root);
    expect(t.add('central.account', ADMIN, OFFICER, record(root, grant(officerKey)), t.admin)).toBeNull();
    const managed = 'a change to an account the department manages';
    expect(t.add('user.update', ADMIN, OFFICER, { roles: ['officer', 'admin'], disabled: false }, t.admin)).toBe(managed);
    expect(t.add('user.update', ADMIN, OFFICER, { roles: ['officer'], disabled: true }, t.admin)).toBe(managed);
    expect(t.add('user.password', ADMIN, OFFICER, { by: 'admin', signingKey: publicKeyOf(newSigningKey()) }, t.admin)).toBe(managed);
    const recovered = newSigningKey();
    expect(t.add('user.password', OFFICER, OFFICER, { by: 'recovery', signingKey: publicKeyOf(recovered) }, recovered)).toBe(managed);
    expect(t.walk.accounts.get(OFFICER)).toMatchObject({ roles: ['officer'], disabled: false, key: fingerprint(publicKeyOf(officerKey)) });
    expect(t.add('crossing.record', OFFICER, null, {}, officerKey)).toBeNull();
  });
});

describe('the account record message', () => {
  it('is canonical: the order of roles, checkpoints and keys does not change it', () => {
    const k = newSigningKey();
    const cps = [CHECKPOINT, '55555555-5555-4555-8555-555555555555'];
    const a = grant(k, { roles: ['supervisor', 'officer'], checkpoints: cps });
    const b = { ...grant(k, { roles: ['officer', 'supervisor'], checkpoints: [...cps].reverse() }) };
    const reordered = Object.fromEntries(Object.entries(b).reverse()) as unknown as AccountGrant;
    expect(accountRecordMessage(reordered, 'd')).toBe(accountRecordMessage(a, 'd'));
    expect(accountRecordMessage(a, 'd').startsWith('watchdesk-central-account\0{')).toBe(true);
    expect(accountCredDigest({ signingWrapped: 'w', username: 'u', passwordHash: 'h' })).toBe(accountCredDigest({ username: 'u', passwordHash: 'h', signingWrapped: 'w' }));
  });

  it('breaks the signature at any change of any field of the grant or the credentials', () => {
    const root = newSigningKey();
    const k = newSigningKey();
    const g = grant(k);
    const digest = accountCredDigest(CRED);
    const sig = signText(root, accountRecordMessage(g, digest));
    const pub = publicKeyOf(root);
    expect(verifyAccountRecord(pub, g, digest, sig)).toBe(true);
    const changes: Partial<AccountGrant>[] = [
      { id: LOCAL }, { roles: ['officer', 'supervisor'] }, { roles: [] }, { checkpoints: null }, { checkpoints: [] }, { disabled: true },
      { signingKey: publicKeyOf(newSigningKey()) }, { seq: 2 }, { issuedAt: '2026-12-08T01:02:03.001Z' },
    ];
    for (const c of changes) expect(verifyAccountRecord(pub, { ...g, ...c }, digest, sig), JSON.stringify(c)).toBe(false);
    for (const c of [{ username: 'other' }, { passwordHash: '$argon2id$other' }, { signingWrapped: '{}' }]) {
      expect(verifyAccountRecord(pub, g, accountCredDigest({ ...CRED, ...c }), sig), JSON.stringify(c)).toBe(false);
    }
    expect(verifyAccountRecord(publicKeyOf(newSigningKey()), g, digest, sig)).toBe(false);
    expect(verifyAccountRecord(pub, g, digest, 'not a signature')).toBe(false);
  });
});
