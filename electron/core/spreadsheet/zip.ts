/**
 * A minimal, defensive zip reader for xlsx packages: the central directory (zip64 included) is
 * read from the buffer, and one entry at a time is inflated with fflate's synchronous streaming
 * `Inflate` (never SheetJS's inflate), in small input slices, so that the caller sees the output
 * chunk by chunk, can stop early and can report progress. Every entry read whole is checked
 * against its declared size and CRC-32 (a flipped byte is a clear error, never a hang or silently
 * wrong text). Format: PKWARE APPNOTE 6.3 (sections 4.3.7, 4.3.12, 4.3.14-16, 4.5.3).
 */
import { Inflate } from 'fflate';
import { crc32 } from 'node:zlib';
import { reason } from '../../../shared/reasons';
import { BadInputError } from '../errors';

/** One file of a zip archive, as its central directory describes it. */
export interface ZipEntry {
  /** Path inside the archive, as stored ("xl/worksheets/sheet1.xml"). */
  name: string;
  /** 0 = stored, 8 = deflated; anything else is refused when read. */
  method: number;
  /** General purpose flags (bit 0: encrypted). */
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** Bytes of compressed input handed to the inflater at a time (bounds the output of one step). */
const INPUT_SLICE = 64 * 1024;

function u16(buf: Buffer, off: number): number {
  if (off + 2 > buf.length) throw new BadInputError(reason('file.zipDamaged'));
  return buf.readUInt16LE(off);
}
function u32(buf: Buffer, off: number): number {
  if (off + 4 > buf.length) throw new BadInputError(reason('file.zipDamaged'));
  return buf.readUInt32LE(off);
}
function u64(buf: Buffer, off: number): number {
  if (off + 8 > buf.length) throw new BadInputError(reason('file.zipDamaged'));
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BadInputError(reason('file.zipDamaged'));
  return Number(v);
}

/**
 * Reads the central directory of a zip file. Names are matched case-insensitively later (OPC
 * part names are case-insensitive); the first of two entries with the same name wins.
 * Throws BadInputError `file.truncatedZip` (no end record) or `file.zipDamaged`.
 */
export function readZipDirectory(buf: Buffer): ZipEntry[] {
  const min = Math.max(0, buf.length - 65557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new BadInputError(reason('file.truncatedZip'));
  let count = u16(buf, eocd + 10);
  let cdSize = u32(buf, eocd + 12);
  let off = u32(buf, eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || off === 0xffffffff) {
    // Zip64: the locator sits just before the end record and points at the zip64 end record.
    const loc = eocd - 20;
    if (loc >= 0 && u32(buf, loc) === 0x07064b50) {
      const z64 = u64(buf, loc + 8);
      if (u32(buf, z64) !== 0x06064b50) throw new BadInputError(reason('file.zipDamaged'));
      count = u64(buf, z64 + 32);
      cdSize = u64(buf, z64 + 40);
      off = u64(buf, z64 + 48);
    }
  }
  if (off + cdSize > buf.length || count > buf.length / 46) throw new BadInputError(reason('file.zipDamaged'));
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (u32(buf, off) !== 0x02014b50) throw new BadInputError(reason('file.zipDamaged'));
    const flags = u16(buf, off + 8);
    const nameLen = u16(buf, off + 28);
    const extraLen = u16(buf, off + 30);
    const commentLen = u16(buf, off + 32);
    if (off + 46 + nameLen + extraLen > buf.length) throw new BadInputError(reason('file.zipDamaged'));
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', off + 46, off + 46 + nameLen);
    let compressedSize = u32(buf, off + 20);
    let uncompressedSize = u32(buf, off + 24);
    let localHeaderOffset = u32(buf, off + 42);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      // Zip64 extended information extra field (id 1): the 0xffffffff fields, in this order.
      let x = off + 46 + nameLen;
      const end = x + extraLen;
      while (x + 4 <= end) {
        const id = u16(buf, x);
        const size = u16(buf, x + 2);
        if (id === 1) {
          let p = x + 4;
          if (uncompressedSize === 0xffffffff) {
            uncompressedSize = u64(buf, p);
            p += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = u64(buf, p);
            p += 8;
          }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(buf, p);
          break;
        }
        x += 4 + size;
      }
    }
    entries.push({ name, method: u16(buf, off + 10), flags, crc: u32(buf, off + 16), compressedSize, uncompressedSize, localHeaderOffset });
    off += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The compressed bytes of an entry (after its local header). Throws `file.truncatedZip` / `file.zipDamaged`. */
function entryData(buf: Buffer, e: ZipEntry): Buffer {
  const h = e.localHeaderOffset;
  if (u32(buf, h) !== 0x04034b50) throw new BadInputError(reason('file.zipDamaged'));
  const start = h + 30 + u16(buf, h + 26) + u16(buf, h + 28);
  if (start + e.compressedSize > buf.length) throw new BadInputError(reason('file.truncatedZip'));
  return buf.subarray(start, start + e.compressedSize);
}

/**
 * Inflates entry `e` of the zip in `buf`, handing its output to `onChunk` piece by piece (a
 * chunk is at most what 64 KB of compressed input expands to). `onChunk` returns false to stop
 * early (the rest is not inflated; size and CRC are then not checked). `onInput(bytes)` reports
 * compressed bytes consumed after each step. A complete read checks the declared size and the
 * CRC-32. Throws BadInputError: `file.encrypted`, `file.zipMethod`, `file.zipEntryDamaged` (bad
 * deflate data, wrong size or CRC), `file.truncatedZip`.
 */
export function inflateEntry(
  buf: Buffer, e: ZipEntry, onChunk: (chunk: Uint8Array) => boolean | void, onInput?: (compressedBytes: number) => void,
): void {
  if (e.flags & 1) throw new BadInputError(reason('file.encrypted'));
  if (e.method !== 0 && e.method !== 8) throw new BadInputError(reason('file.zipMethod'));
  const data = entryData(buf, e);
  let produced = 0;
  let crc = 0;
  let stop = false;
  let failure: unknown = null;
  const take = (chunk: Uint8Array) => {
    if (stop || !chunk.length) return;
    try {
      produced += chunk.length;
      // Never more than declared: a lying directory cannot smuggle a zip bomb past the size guard.
      if (produced > e.uncompressedSize) throw new BadInputError(reason('file.zipEntryDamaged'));
      crc = crc32(chunk, crc);
      if (onChunk(chunk) === false) stop = true;
    } catch (err) {
      failure = err;
      throw err;
    }
  };
  if (e.method === 0) {
    if (e.compressedSize !== e.uncompressedSize) throw new BadInputError(reason('file.zipEntryDamaged'));
    for (let i = 0; i < data.length && !stop; i += INPUT_SLICE) {
      take(data.subarray(i, Math.min(i + INPUT_SLICE, data.length)));
      onInput?.(Math.min(INPUT_SLICE, data.length - i));
    }
  } else {
    const inflater = new Inflate((chunk) => take(chunk));
    try {
      if (data.length === 0) inflater.push(new Uint8Array(0), true);
      for (let i = 0; i < data.length && !stop; i += INPUT_SLICE) {
        const end = Math.min(i + INPUT_SLICE, data.length);
        inflater.push(data.subarray(i, end), end === data.length);
        onInput?.(end - i);
      }
    } catch (err) {
      // The consumer's own errors pass through; anything else is fflate refusing the data
      // (invalid block type or distance, unexpected end of data).
      if (failure !== null && err === failure) throw err;
      throw new BadInputError(reason('file.zipEntryDamaged'));
    }
  }
  if (stop) return;
  if (produced !== e.uncompressedSize || crc >>> 0 !== e.crc >>> 0) throw new BadInputError(reason('file.zipEntryDamaged'));
}
