import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeMrz, MrzError, mrzTravelerFields, normalizeMrzText, readMrz, resolveDate } from '../../shared/mrz';
import { TravelerSchema } from '../../shared/contract';
import { checkDigit, mrvA, mrvB, td1, td2, td3, thaiId, type MrzPerson } from '../fixtures/mrz';

const NOW = new Date('2026-12-06T10:00:00Z');
const SOMCHAI: MrzPerson = { surname: 'JAIDEE', given: 'SOMCHAI', number: 'AA1234567', birth: '850314', expiry: '300101' };
const codes = (r: { warnings: { code: string; params?: Record<string, string | number> }[] }) => r.warnings.map((w) => w.code);
const join = (lines: string[]) => lines.join('\n');
/** Replaces the character at [line][col]. */
const at = (lines: string[], line: number, col: number, ch: string): string[] =>
  lines.map((l, i) => (i === line ? l.slice(0, col) + ch + l.slice(col + 1) : l));

describe('readMrz: the ICAO Doc 9303 specimens', () => {
  it('reads the TD3 specimen passport field by field, and says it is a specimen and expired', () => {
    const r = readMrz('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10', NOW);
    expect(r).toMatchObject({
      format: 'TD3', documentCode: 'P', issuer: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', nameCut: false,
      documentNumber: 'L898902C3', nationality: 'UTO', dateOfBirth: '1974-08-12', sex: 'F', expiry: '2012-04-15',
      optionalData: 'ZE184226B', nationalId: null, valid: true, failed: [],
    });
    expect(codes(r)).toEqual(['mrz.specimen', 'mrz.expired']);
  });

  it('reads the TD1 specimen identity card', () => {
    const r = readMrz(['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'], NOW);
    expect(r).toMatchObject({ format: 'TD1', documentNumber: 'D23145890', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', sex: 'F', dateOfBirth: '1974-08-12', valid: true });
  });
});

describe('readMrz: every layout, made-up travelers', () => {
  const cases: [string, (p: MrzPerson) => string[], string][] = [
    ['TD3', td3, 'P<'], ['TD2', td2, 'I<'], ['TD1', td1, 'I<'], ['MRV-A', mrvA, 'V<'], ['MRV-B', mrvB, 'V<'],
  ];
  for (const [format, build, code] of cases) {
    it(`${format}: fields, check digits and two-digit years`, () => {
      const r = readMrz(join(build({ ...SOMCHAI, code, sex: 'M' })), NOW);
      expect(r).toMatchObject({
        format, surname: 'JAIDEE', givenNames: 'SOMCHAI', documentNumber: 'AA1234567', nationality: 'THA', issuer: 'THA',
        dateOfBirth: '1985-03-14', expiry: '2030-01-01', sex: 'M', valid: true, failed: [],
      });
      // A visa's number is not the passport's: said so, and not screened as a document.
      const visa = format.startsWith('MRV');
      expect(codes(r)).toEqual(visa ? ['mrz.visaNumber'] : []);
      expect(mrzTravelerFields(r).documentNumber).toBe(visa ? undefined : 'AA1234567');
    });
  }

  it('names the document code when the lines have a known shape but no known code, and leaves a failed date of birth out, saying so', () => {
    expect(() => readMrz(['x'.repeat(44), 'y'.repeat(44)], NOW)).toThrow(expect.objectContaining({ problem: { code: 'mrz.unknownDocumentCode', params: { code: 'XX' } } }));
    const l = td3(SOMCHAI);
    expect(codes(readMrz(at(l, 1, 14, '6'), NOW))).toContain('mrz.birthDateLeftOut');
  });

  it('names each failed check digit and keeps the misread date out of the screening', () => {
    const lines = td3(SOMCHAI);
    const r = readMrz(at(lines, 1, 14, '6'), NOW); // 850314 -> 860314, check digit left
    expect(r.failed).toEqual(['birthDate', 'composite']);
    expect(r.warnings).toContainEqual({ code: 'mrz.checkDigitFailed', params: { detail: 'mrz.field.birthDate' } });
    expect(r.valid).toBe(false);
    expect(mrzTravelerFields(r).dateOfBirth).toBeUndefined();
    expect(mrzTravelerFields(readMrz(join(lines), NOW)).dateOfBirth).toBe('1985-03-14');
    // The document number's and the expiry's check digits are named too.
    expect(readMrz(at(lines, 1, 9, String((Number(lines[1]![9]) + 1) % 10)), NOW).failed).toContain('documentNumber');
    expect(readMrz(at(lines, 1, 27, String((Number(lines[1]![27]) + 1) % 10)), NOW).failed).toContain('expiry');
  });
});

describe('readMrz: OCR confusions', () => {
  it('reads a letter in a date as the digit it looks like, and says so', () => {
    const r = readMrz(at(td3({ ...SOMCHAI, birth: '800105' }), 1, 14, 'O'), NOW); // 8O0105
    expect(r.dateOfBirth).toBe('1980-01-05');
    expect(r.valid).toBe(true);
    expect(r.warnings).toContainEqual({ code: 'mrz.corrected', params: { detail: 'mrz.field.birthDate', from: 'O', to: '0' } });
  });

  it('corrects a document number only where the check digit then passes, never to another number', () => {
    const number = fc.stringMatching(/^[A-Z0-9]{9}$/);
    fc.assert(
      fc.property(number, fc.nat(8), (num, pos) => {
        const lines = td3({ ...SOMCHAI, number: num });
        const ch = num[pos]!;
        const swap: Record<string, string> = { '0': 'O', O: '0', '1': 'I', I: '1', '5': 'S', S: '5', '8': 'B', B: '8', '2': 'Z', Z: '2' };
        if (!swap[ch]) return;
        const r = readMrz(at(lines, 1, pos, swap[ch]), NOW);
        // Either the original number comes back (and is said to), or the check digit is reported failed.
        if (r.failed.includes('documentNumber')) expect(r.documentNumber).not.toBe(num);
        else {
          expect(r.documentNumber).toBe(num);
          expect(codes(r)).toContain('mrz.corrected');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: one confusion in a date or a check digit is always put right', () => {
    const day = fc.record({ y: fc.integer({ min: 0, max: 99 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
      .map(({ y, m, d }) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''));
    const toLetter: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '5': 'S', '6': 'G', '8': 'B' };
    fc.assert(
      fc.property(day, fc.integer({ min: 13, max: 19 }), (birth, col) => {
        const lines = td3({ ...SOMCHAI, birth });
        const ch = lines[1]![col]!;
        if (!toLetter[ch]) return;
        const r = readMrz(at(lines, 1, col, toLetter[ch]), NOW);
        expect(r.valid).toBe(true);
        expect(r.lines[1]).toBe(lines[1]);
      }),
      { numRuns: 300 },
    );
  });

  it('reads digits in a name as the letters they look like (names have no check digit) and says so', () => {
    const lines = td3({ ...SOMCHAI, surname: 'BOONMA' });
    const r = readMrz(at(lines, 0, 6, '0'), NOW); // B0ONMA
    expect(r.surname).toBe('BOONMA');
    expect(r.warnings).toContainEqual({ code: 'mrz.nameCorrected', params: { from: '0', to: 'O' } });
  });
});

describe('readMrz: names, dates, numbers', () => {
  it('flags a name that fills its field as cut', () => {
    const long = { ...SOMCHAI, surname: 'WONGSAWATDICHAROEN', given: 'PHONGPHAKDI KITTIWATTHANA' };
    const r = readMrz(join(td3(long)), NOW);
    expect(r.nameCut).toBe(true);
    expect(r.givenNames).toBe('PHONGPHAKDI KITTIWA'); // 39 characters: WONGSAWATDICHAROEN<<PHONGPHAKDI<KITTIWA
    expect(codes(r)).toContain('mrz.nameCut');
    expect(readMrz(join(td3(SOMCHAI)), NOW).nameCut).toBe(false);
  });

  it('resolves two-digit years: birth in the past, expiry within 50 years', () => {
    expect(resolveDate('050101', 'birth', NOW)).toBe('2005-01-01');
    expect(resolveDate('261206', 'birth', NOW)).toBe('2026-12-06');
    expect(resolveDate('261207', 'birth', NOW)).toBe('1926-12-07');
    expect(resolveDate('300101', 'birth', NOW)).toBe('1930-01-01');
    expect(resolveDate('300101', 'expiry', NOW)).toBe('2030-01-01');
    expect(resolveDate('991231', 'expiry', NOW)).toBe('1999-12-31');
    expect(resolveDate('85<<<<', 'birth', NOW)).toBe('1985');
    expect(resolveDate('8503<<', 'birth', NOW)).toBe('1985-03');
    expect(resolveDate('850230', 'birth', NOW)).toBeNull();
    expect(resolveDate('851301', 'birth', NOW)).toBeNull();
  });

  it('warns of an expired document, not of a current one', () => {
    expect(readMrz(join(td3({ ...SOMCHAI, expiry: '261205' })), NOW).warnings).toContainEqual({ code: 'mrz.expired', params: { date: '2026-12-05' } });
    expect(codes(readMrz(join(td3({ ...SOMCHAI, expiry: '261206' })), NOW))).not.toContain('mrz.expired');
  });

  it('keeps the optional data and reads it as a national ID where the issuer puts one there', () => {
    const id = thaiId('310010012345');
    const thai = readMrz(join(td3({ ...SOMCHAI, optional: id })), NOW);
    expect(thai).toMatchObject({ optionalData: id, nationalId: id, valid: true });
    expect(mrzTravelerFields(thai).nationalId).toBe(id);
    const wrongCheck = id.slice(0, 12) + String((Number(id[12]) + 1) % 10);
    expect(readMrz(join(td3({ ...SOMCHAI, optional: wrongCheck })), NOW).nationalId).toBeNull();
    const other = readMrz(join(td3({ ...SOMCHAI, issuer: 'FRA', nationality: 'FRA', optional: id })), NOW);
    expect(other).toMatchObject({ optionalData: id, nationalId: null });
    const malaysian = readMrz(join(td3({ ...SOMCHAI, issuer: 'MYS', nationality: 'MYS', optional: '850314145678' })), NOW);
    expect(malaysian.nationalId).toBe('850314145678');
  });

  it('reads Germany\'s one-letter code as DEU', () => {
    const r = readMrz(join(td3({ ...SOMCHAI, issuer: 'D<<', nationality: 'D<<' })), NOW);
    expect(r).toMatchObject({ issuer: 'DEU', nationality: 'DEU' });
  });
});

describe('readMrz: what review found (each failed before its fix)', () => {
  const S = { surname: 'JAIDEE', given: 'SOMCHAI', number: 'AB1234567', birth: '850314', expiry: '300101' };

  it('a misread check digit is not "corrected" into the document number: the composite must pass too', () => {
    const l = td3(S);
    for (const digit of ['8', '4']) {
      const r = readMrz([l[0]!, l[1]!.slice(0, 9) + digit + l[1]!.slice(10)], NOW);
      expect(r.documentNumber).toBe('AB1234567');
      expect(r.failed).toContain('documentNumber');
      expect(codes(r)).not.toContain('mrz.corrected');
    }
  });

  it('a visa\'s optional data is never the holder\'s national ID, nor a card\'s whose composite fails, nor two parts joined', () => {
    expect(readMrz(mrvA({ ...S, issuer: 'SWE', nationality: 'THA', optional: '8501011234' }), NOW).nationalId).toBeNull();
    const card = td1({ ...S, issuer: 'MYS', nationality: 'MYS', optional: '850314105555' });
    expect(readMrz(card, NOW).nationalId).toBe('850314105555');
    const misread = readMrz([card[0]!.replace('850314105555', '850319105555'), card[1]!, card[2]!], NOW);
    expect(misread.failed).toEqual(['composite']);
    expect(misread.nationalId).toBeNull();
    // A passport of another state than the holder's carries no national ID of the holder's.
    expect(readMrz(td3({ ...S, issuer: 'MYS', nationality: 'THA', optional: '850314105555' }), NOW).nationalId).toBeNull();
    // TD1: six digits on line 1 and five on line 2 are two fields, not one 11-digit PESEL.
    const pl = td1({ ...S, issuer: 'POL', nationality: 'POL', optional: '850314' });
    const l2 = pl[1]!.slice(0, 18) + '12345'.padEnd(11, '<');
    const composite = checkDigit(pl[0]!.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29));
    const pesel = readMrz([pl[0]!, l2 + composite, pl[2]!], NOW);
    expect(pesel).toMatchObject({ valid: true, optionalData: '850314 12345', nationalId: null });
  });

  it('an old French identity card (IDFRA) is refused, not read as garbage; invisible joiners are dropped', () => {
    expect(() => readMrz('IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013\n0506932020438CHRISTIANE<<NI2906209F3', NOW)).toThrow(MrzError);
    const l = td3(S);
    expect(readMrz(`${l[0]}\u200c\n${l[1]!.slice(0, 10)}\u2060${l[1]!.slice(10)}`, NOW).valid).toBe(true);
  });

  it('looksLikeMrz: a name with digits is not an MRZ; a line 1 whose fillers a reader stripped is', () => {
    expect(looksLikeMrz('Jean-Baptiste Pierre Marie Dupont 1990 2 3')).toBe(false);
    expect(looksLikeMrz('P<THAJAIDEE<<SOMCHAI')).toBe(true);
  });
});

describe('MRZ text as it arrives', () => {
  it('takes a reader burst without line breaks, lowercase, spaces and look-alike fillers', () => {
    const lines = td3(SOMCHAI);
    expect(readMrz(lines.join(''), NOW).surname).toBe('JAIDEE');
    expect(normalizeMrzText(` ${lines[0]!.toLowerCase().replace(/</g, '«')}\r\n\r\n${lines[1]!.slice(0, 20)} ${lines[1]!.slice(20)} `)).toEqual(lines);
    expect(readMrz(`${lines[0]!.replace(/<+$/, '')}\n${lines[1]}`, NOW).valid).toBe(true);
  });

  it('refuses what is not an MRZ, saying what it saw', () => {
    expect(() => readMrz('SOMCHAI JAIDEE', NOW)).toThrow(MrzError);
    try {
      readMrz(`${td3(SOMCHAI)[0]}\n${td3(SOMCHAI)[1]!.slice(0, 40)}`, NOW);
    } catch (e) {
      expect((e as MrzError).problem).toEqual({ code: 'mrz.unreadable', params: { lines: 2, length: 44 } });
    }
    expect(() => readMrz(join(td3(SOMCHAI)).replace('JAIDEE', 'JAÏDEE'), NOW)).toThrow(MrzError);
  });

  it('recognises an MRZ line in a name field, never a real name', () => {
    for (const line of [...td3(SOMCHAI), ...td1(SOMCHAI), 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<']) expect(looksLikeMrz(line)).toBe(true);
    for (const name of ['Somchai Jaidee', 'สมชาย ใจดี', 'Abd al-Rahman bin Mohammed bin Abdullah Al-Nuristani', 'MOHAMMED ABDULRAHMAN IBRAHIM AL-HASHIMI', "O'Brien-Smythe, Mary Anne"]) {
      expect(looksLikeMrz(name)).toBe(false);
    }
  });

  it('the contract refuses an MRZ typed as a name, and accepts a traveler known by a document alone', () => {
    const r = TravelerSchema.safeParse({ fullName: td3(SOMCHAI)[0] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ message: 'field.mrzInName', path: ['fullName'] });
    expect(TravelerSchema.safeParse({ documentNumber: 'AA1234567' }).success).toBe(true);
    expect(TravelerSchema.safeParse({ nationalId: thaiId('310010012345') }).success).toBe(true);
    expect(TravelerSchema.safeParse({ sex: 'M' }).success).toBe(false);
  });

  it('check digits of the test builder agree with the ICAO worked example', () => {
    // Doc 9303 part 3, 4.9: the specimen passport's number L898902C3 has check digit 6.
    expect(checkDigit('L898902C3')).toBe('6');
  });
});
