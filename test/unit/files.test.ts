/**
 * The safe file writer (electron/core/files.ts, issue 15 item 4): a file with its final name is
 * always complete, 0600, never replaces a file unless asked, and two writers cannot both win.
 * Disk-full and permission failures are injected through a mock of node:fs (this process runs as
 * root in CI containers, where chmod cannot make a folder unwritable); kills are real SIGKILLs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as realFs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ConflictError, BadInputError } from '../../electron/core/errors';
import { createPrivateFile, moveIntoPlace, removeStaleTemps, writeFileSafe } from '../../electron/core/files';
import { tempDir } from './helpers';

/** Faults the mocked node:fs injects: an errno code per function, or a hook run at an fsync. */
const faults = vi.hoisted(() => ({
  writeSync: null as string | null,
  openSync: null as string | null,
  linkSync: null as string | null,
  onFsync: null as (() => void) | null,
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fail = (code: string) => Object.assign(new Error(`injected ${code}`), { code });
  const wrapped = {
    ...fs,
    writeSync: ((...a: Parameters<typeof fs.writeSync>) => {
      if (faults.writeSync) throw fail(faults.writeSync);
      return fs.writeSync(...a);
    }) as typeof fs.writeSync,
    openSync: ((...a: Parameters<typeof fs.openSync>) => {
      if (faults.openSync && String(a[0]).endsWith('.tmp')) throw fail(faults.openSync);
      return fs.openSync(...a);
    }) as typeof fs.openSync,
    linkSync: ((...a: Parameters<typeof fs.linkSync>) => {
      if (faults.linkSync) throw fail(faults.linkSync);
      return fs.linkSync(...a);
    }) as typeof fs.linkSync,
    fsyncSync: ((fd: number) => {
      const hook = faults.onFsync;
      faults.onFsync = null;
      hook?.();
      return fs.fsyncSync(fd);
    }) as typeof fs.fsyncSync,
  };
  return { ...wrapped, default: wrapped };
});

const FILES = join(import.meta.dirname, '../../electron/core/files.ts');
const mode = (p: string) => realFs.statSync(p).mode & 0o777;
const names = (dir: string) => realFs.readdirSync(dir).sort();
const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return null;
};

/** A pid that no process has any more: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid;
}

describe('writeFileSafe', () => {
  it('writes the whole content under the final name, 0600 whatever the umask, and leaves no temporary file', () => {
    const dir = tempDir();
    const dest = join(dir, 'export.csv');
    const old = process.umask(0o022);
    try {
      const w = writeFileSafe(dest, 'id,name\n1,Test Person\n');
      expect(w).toEqual({ path: dest, bytes: 22, sha256: createHash('sha256').update('id,name\n1,Test Person\n').digest('hex') });
    } finally {
      process.umask(old);
    }
    expect(realFs.readFileSync(dest, 'utf8')).toBe('id,name\n1,Test Person\n');
    expect(mode(dest)).toBe(0o600);
    expect(names(dir)).toEqual(['export.csv']);
  });

  it('never replaces an existing file unless asked: files.exists, the old content kept, no temporary left', () => {
    const dir = tempDir();
    const dest = join(dir, 'report.xlsx');
    realFs.writeFileSync(dest, 'the earlier report');
    const e = thrown(() => writeFileSafe(dest, 'a new report'));
    expect(e).toBeInstanceOf(ConflictError);
    expect(e).toMatchObject({ reason: { code: 'files.exists', params: { file: 'report.xlsx' } } });
    expect((e as Error).message).toBe('report.xlsx already exists: choose another name or ask to overwrite it (--overwrite)');
    expect(realFs.readFileSync(dest, 'utf8')).toBe('the earlier report');
    // A folder, and a dangling symbolic link, are things that exist too.
    realFs.mkdirSync(join(dir, 'folder.csv'));
    realFs.symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.csv'));
    expect(thrown(() => writeFileSafe(join(dir, 'folder.csv'), 'x'))).toMatchObject({ reason: { code: 'files.exists' } });
    expect(thrown(() => writeFileSafe(join(dir, 'dangling.csv'), 'x'))).toMatchObject({ reason: { code: 'files.exists' } });
    expect(realFs.existsSync(join(dir, 'nowhere'))).toBe(false);
    expect(names(dir)).toEqual(['dangling.csv', 'folder.csv', 'report.xlsx']);
  });

  it('replaces a file when asked (overwrite), atomically, and makes it 0600', () => {
    const dir = tempDir();
    const dest = join(dir, 'head');
    realFs.writeFileSync(dest, 'old', { mode: 0o644 });
    writeFileSafe(dest, 'new', { overwrite: true });
    expect(realFs.readFileSync(dest, 'utf8')).toBe('new');
    expect(mode(dest)).toBe(0o600);
    expect(names(dir)).toEqual(['head']);
  });

  it('a full disk is files.noSpace: no file with the final name, the temporary file removed', () => {
    const dir = tempDir();
    const dest = join(dir, 'crossings.xlsx');
    faults.writeSync = 'ENOSPC';
    let e: unknown;
    try {
      e = thrown(() => writeFileSafe(dest, Buffer.alloc(1 << 16, 1)));
    } finally {
      faults.writeSync = null;
    }
    expect(e).toBeInstanceOf(BadInputError);
    expect(e).toMatchObject({ reason: { code: 'files.noSpace', params: { file: 'crossings.xlsx' } } });
    expect(names(dir)).toEqual([]);
    // Replacing: the old file is left whole.
    realFs.writeFileSync(dest, 'kept');
    faults.writeSync = 'EDQUOT';
    try {
      expect(thrown(() => writeFileSafe(dest, 'new', { overwrite: true }))).toMatchObject({ reason: { code: 'files.noSpace' } });
    } finally {
      faults.writeSync = null;
    }
    expect(realFs.readFileSync(dest, 'utf8')).toBe('kept');
    expect(names(dir)).toEqual(['crossings.xlsx']);
  });

  it('no permission, a missing folder or another disk error is a clear error, never an internal one', () => {
    const dir = tempDir();
    faults.openSync = 'EACCES';
    try {
      expect(thrown(() => writeFileSafe(join(dir, 'a.csv'), 'x'))).toMatchObject({ code: 'bad_input', reason: { code: 'files.cannotWrite', params: { file: 'a.csv' } } });
    } finally {
      faults.openSync = null;
    }
    expect(thrown(() => writeFileSafe(join(dir, 'missing', 'a.csv'), 'x'))).toMatchObject({ reason: { code: 'files.cannotWrite' } });
    faults.writeSync = 'EIO';
    try {
      const e = thrown(() => writeFileSafe(join(dir, 'b.csv'), 'x'));
      expect(e).toMatchObject({ code: 'bad_input', reason: { code: 'files.writeFailed', params: { file: 'b.csv', code: 'EIO' } } });
      expect((e as Error).message).not.toContain(dir);
    } finally {
      faults.writeSync = null;
    }
    expect(names(dir)).toEqual([]);
    // makeDirs creates the missing folders.
    writeFileSafe(join(dir, 'new', 'deeper', 'c.csv'), 'x', { makeDirs: true });
    expect(realFs.readFileSync(join(dir, 'new', 'deeper', 'c.csv'), 'utf8')).toBe('x');
  });

  it('a second writer that finishes first wins; the first then loses with files.exists and its content goes nowhere', () => {
    const dir = tempDir();
    const dest = join(dir, 'backup.wdbak');
    // While the first writer's temporary file is being fsynced, a second one writes the same name.
    faults.onFsync = () => writeFileSafe(dest, 'second writer');
    const e = thrown(() => writeFileSafe(dest, 'first writer'));
    expect(e).toMatchObject({ reason: { code: 'files.exists' } });
    expect(realFs.readFileSync(dest, 'utf8')).toBe('second writer');
    expect(names(dir)).toEqual(['backup.wdbak']);
  });

  it('on a disk without hard links (FAT) it still refuses to replace a file and still writes a new one whole', () => {
    const dir = tempDir();
    faults.linkSync = 'EPERM';
    try {
      writeFileSafe(join(dir, 'usb.csv'), 'on a stick');
      expect(realFs.readFileSync(join(dir, 'usb.csv'), 'utf8')).toBe('on a stick');
      expect(thrown(() => writeFileSafe(join(dir, 'usb.csv'), 'again'))).toMatchObject({ reason: { code: 'files.exists' } });
      // The reservation (O_EXCL) refuses a file that appears after the early check.
      faults.onFsync = () => realFs.writeFileSync(join(dir, 'late.csv'), 'someone else');
      expect(thrown(() => writeFileSafe(join(dir, 'late.csv'), 'mine'))).toMatchObject({ reason: { code: 'files.exists' } });
      expect(realFs.readFileSync(join(dir, 'late.csv'), 'utf8')).toBe('someone else');
    } finally {
      faults.linkSync = null;
    }
    expect(names(dir)).toEqual(['late.csv', 'usb.csv']);
  });

  it('verify reads the file back before it gets its name', () => {
    const dir = tempDir();
    const w = writeFileSafe(join(dir, 'b.wdbak'), Buffer.alloc(3 << 20, 7), { verify: true });
    expect(w.bytes).toBe(3 << 20);
    // A file changed on its way to the disk is refused and removed.
    faults.onFsync = () => {
      const tmp = realFs.readdirSync(dir).find((f) => f.endsWith('.tmp'))!;
      realFs.appendFileSync(join(dir, tmp), 'x');
    };
    expect(thrown(() => writeFileSafe(join(dir, 'c.wdbak'), 'abc', { verify: true }))).toMatchObject({ reason: { code: 'files.writeFailed', params: { code: 'EIO' } } });
    expect(names(dir)).toEqual(['b.wdbak']);
  });

  it('removes the temporary files of a dead writer of the same name, and only those', () => {
    const dir = tempDir();
    const dest = join(dir, 'crossings.csv');
    const dead = `crossings.csv.${deadPid()}-0badc0de.tmp`;
    const mine = `crossings.csv.${process.pid}-0badc0de.tmp`;
    for (const f of [dead, mine, 'crossings.csv.notours.tmp', 'other.csv.1-0badc0de.tmp']) realFs.writeFileSync(join(dir, f), 'partial');
    writeFileSafe(dest, 'complete');
    expect(names(dir)).toEqual(['crossings.csv', mine, 'crossings.csv.notours.tmp', 'other.csv.1-0badc0de.tmp'].sort());
    expect(removeStaleTemps(dest)).toEqual([]);
  });

  it('two processes writing one name at the same moment: exactly one wins, the other is told files.exists', async () => {
    const dir = tempDir();
    const dest = join(dir, 'race.bin');
    const code = (id: number) => `import(${JSON.stringify(FILES)}).then((m) => {
      const data = Buffer.alloc(4 << 20, ${id});
      try { m.writeFileSafe(${JSON.stringify(dest)}, data); process.stdout.write('won'); }
      catch (e) { process.stdout.write(e.reason ? e.reason.code : String(e)); }
    });`;
    const run = (id: number) => new Promise<string>((resolve) => {
      const c = spawn(process.execPath, ['--import', 'tsx', '-e', code(id)], { cwd: join(import.meta.dirname, '../..') });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.on('close', () => resolve(out));
    });
    const results = await Promise.all([1, 2, 3, 4].map(run));
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'files.exists')).toHaveLength(3);
    const winner = results.indexOf('won') + 1;
    expect(realFs.readFileSync(dest).equals(Buffer.alloc(4 << 20, winner))).toBe(true);
    expect(names(dir)).toEqual(['race.bin']);
  }, 60_000);

  it('a writer killed at any moment never leaves an incomplete file under the final name', async () => {
    const dir = tempDir();
    const size = 24 << 20;
    const expected = createHash('sha256').update(Buffer.alloc(size, 0x61)).digest('hex');
    let complete = 0;
    let absent = 0;
    for (let i = 0; i < 8; i++) {
      const dest = join(dir, `export-${i}.xlsx`);
      const code = `import(${JSON.stringify(FILES)}).then((m) => {
        const data = Buffer.alloc(${size}, 0x61);
        process.stdout.write('start');
        m.writeFileSafe(${JSON.stringify(dest)}, data);
        process.stdout.write('done');
      });`;
      await new Promise<void>((resolve) => {
        const c = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: join(import.meta.dirname, '../..') });
        c.stdout.once('data', () => setTimeout(() => c.kill('SIGKILL'), i * 12));
        c.on('close', () => resolve());
      });
      if (realFs.existsSync(dest)) {
        expect(createHash('sha256').update(realFs.readFileSync(dest)).digest('hex')).toBe(expected);
        complete++;
      } else absent++;
      // The next write of that name clears what the killed one left, and succeeds.
      if (!realFs.existsSync(dest)) writeFileSafe(dest, 'retry');
      expect(realFs.readdirSync(dir).filter((f) => f.startsWith(`export-${i}.xlsx.`))).toEqual([]);
    }
    expect(complete + absent).toBe(8);
  }, 120_000);
});

describe('createPrivateFile and moveIntoPlace', () => {
  it('creates an empty 0600 file and refuses an existing one; moves without replacing unless asked', () => {
    const dir = tempDir();
    const old = process.umask(0o022);
    try {
      createPrivateFile(join(dir, 'copy.db'));
    } finally {
      process.umask(old);
    }
    expect(mode(join(dir, 'copy.db'))).toBe(0o600);
    expect(realFs.statSync(join(dir, 'copy.db')).size).toBe(0);
    expect(() => createPrivateFile(join(dir, 'copy.db'))).toThrow(expect.objectContaining({ code: 'EEXIST' }) as Error);
    realFs.writeFileSync(join(dir, 'staged'), 'image');
    realFs.writeFileSync(join(dir, 'live.db'), 'live');
    expect(() => moveIntoPlace(join(dir, 'staged'), join(dir, 'live.db'))).toThrow(expect.objectContaining({ code: 'EEXIST' }) as Error);
    expect(realFs.readFileSync(join(dir, 'live.db'), 'utf8')).toBe('live');
    expect(realFs.existsSync(join(dir, 'staged'))).toBe(true);
    moveIntoPlace(join(dir, 'staged'), join(dir, 'live.db'), { overwrite: true });
    expect(realFs.readFileSync(join(dir, 'live.db'), 'utf8')).toBe('image');
    expect(names(dir)).toEqual(['copy.db', 'live.db']);
  });
});
