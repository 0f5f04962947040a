/**
 * The wide workbook of the import benchmark (issue 13): made-up people in 22 columns with Thai
 * headers and Thai text, as police and agency lists come, written as Excel writes it (text in the
 * shared-strings table, dates as date-formatted serials, the national ID a number cell with the
 * format "0"). Every name, address, case number and remark is distinct (11 distinct strings a row:
 * 3.3 million for 300,000 rows), which makes the shared-strings table as large as such a file's
 * gets. Written streaming (fflate's Zip): nothing but the current row is held, so generating it
 * costs the benchmark no memory.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Zip, ZipDeflate, strToU8 } from 'fflate';

/** Thai consonants and vowel forms used to spell made-up names from a number (every number its own name). */
const TH_C = 'กขคงจฉชซดตถทธนบปผพฟภมยรลวศสหอฮ';
const TH_V = ['า', 'ิ', 'ี', 'ุ', 'ู', 'ำ', 'ะ', 'ั', 'ึ', 'ื'];
const TH_GIVEN = ['สมชาย', 'มาลี', 'อนงค์', 'ประเสริฐ', 'กนกพร', 'วิชัย', 'สุดา', 'นิรันดร์', 'ดารา', 'สมศักดิ์', 'พรทิพย์', 'บุญมี'];
const TH_FAMILY = ['ทดสอบดี', 'ตัวอย่างวงศ์', 'สมมุติสุข', 'แต่งขึ้นชัย', 'จำลองรัตน์', 'ลองใจ', 'ไม่มีจริง'];
const GIVEN = ['SOMCHAI', 'MALEE', 'ANONG', 'PRASERT', 'KANOKPORN', 'WICHAI', 'SUDA', 'NIRAN', 'DARA', 'SOMSAK', 'PORNTIP', 'BOONMEE'];
const FAMILY = ['TESTPERSON', 'EXAMPLEDEE', 'SAMPLEWONG', 'FICTIONSUK', 'MADEUPCHAI', 'DEMORAT', 'PLACEHOLDA'];
/** Values repeated down a column (one shared string each). */
const SEX = ['ชาย', 'หญิง'];
const NATIONALITY = ['ไทย', 'ลาว', 'กัมพูชา', 'เมียนมา', 'เวียดนาม', 'จีน'];
const PROVINCE = ['เชียงราย', 'เชียงใหม่', 'ตาก', 'หนองคาย', 'สระแก้ว', 'สงขลา', 'นราธิวาส', 'กรุงเทพมหานคร', 'ระนอง', 'มุกดาหาร'];
const OFFENCE = ['ลักทรัพย์', 'ฉ้อโกง', 'ยาเสพติดให้โทษ', 'ค้ามนุษย์', 'หลบหนีเข้าเมือง', 'ทำร้ายร่างกาย', 'ปลอมแปลงเอกสาร', 'ฟอกเงิน'];
const AGENCY = ['สถานีตำรวจภูธรแม่สาย', 'กองบังคับการตำรวจตรวจคนเข้าเมือง', 'สำนักงานป้องกันและปราบปรามยาเสพติด', 'กรมสอบสวนคดีพิเศษ'];
const STATUS = ['ออกหมายจับ', 'อยู่ระหว่างติดตาม', 'ห้ามออกนอกราชอาณาจักร'];
const RECORDER = ['ด.ต.สมหมาย', 'ส.ต.อ.วีระ', 'ร.ต.ท.หญิงสุนีย์'];
const FIXED = [SEX, NATIONALITY, PROVINCE, OFFENCE, AGENCY, STATUS, RECORDER];
const HEADERS = [
  'ลำดับ', 'รหัสบุคคล', 'ชื่อ-นามสกุล', 'Name (English)', 'ชื่อเล่น', 'วันเกิด', 'เพศ', 'สัญชาติ', 'เลขประจำตัวประชาชน',
  'หนังสือเดินทาง', 'ที่อยู่', 'จังหวัด', 'ชื่อบิดา', 'ชื่อมารดา', 'เลขคดี', 'ข้อหา', 'วันที่ออกหมาย', 'หน่วยงาน', 'สถานะ',
  'หมายเหตุ', 'โทรศัพท์', 'ผู้บันทึก',
];

/** A Thai "syllable word" spelling n (every n its own word). */
function thaiWord(n: number): string {
  let s = '';
  do {
    s += TH_C[n % TH_C.length]! + TH_V[Math.floor(n / TH_C.length) % TH_V.length]!;
    n = Math.floor(n / (TH_C.length * TH_V.length));
  } while (n > 0);
  return s;
}
function latinWord(n: number): string {
  let s = '';
  do {
    s += String.fromCharCode(65 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** The distinct text cells of row i, in column order (B, C, D, E, J, K, M, N, O, T, U). */
function distinct(i: number): string[] {
  const g = i % TH_GIVEN.length;
  const f = (i * 3 + (i >> 3)) % TH_FAMILY.length;
  const w = thaiWord(i);
  return [
    `WD-${String(i + 1).padStart(7, '0')}`,
    `${TH_GIVEN[g]} ${TH_FAMILY[f]}${w}`,
    `${GIVEN[g]} ${FAMILY[f]}${latinWord(i)}`,
    `ไอ้${thaiWord(i * 3 + 1)}`,
    `${latinWord(i % 676).padStart(2, 'A')}${String(1000000 + i).padStart(7, '0')}`,
    `${1 + (i % 400)}/${1 + (i % 97)} หมู่ ${1 + (i % 15)} ตำบล${thaiWord(i % 5000)} อำเภอ${thaiWord(i % 900)} จังหวัด${PROVINCE[i % PROVINCE.length]}`,
    `นาย${thaiWord(i + 7)} ${TH_FAMILY[f]}${w}`,
    `นาง${thaiWord(i + 11)} ${TH_FAMILY[f]}${w}`,
    `คดีอาญาที่ ${1 + (i % 9999)}/${2560 + (i % 9)} (${i})`,
    `พบเห็นครั้งล่าสุดบริเวณด่านพรมแดน ${thaiWord(i * 5)} เมื่อเดือน${['มกราคม', 'มีนาคม', 'มิถุนายน', 'ตุลาคม'][i % 4]} รายการที่ ${i}`,
    `08${i % 10}-${String(100 + (i % 900))}-${String(i % 10000).padStart(4, '0')}`,
  ];
}
const DISTINCT_PER_ROW = 11;

/** A 13-digit national ID number from 12 digits and the check digit of Thai ID numbers (made up, but well-formed). */
function thaiId(twelve: number): number {
  const d = String(twelve);
  let sum = 0;
  for (let k = 0; k < 12; k++) sum += Number(d[k]) * (13 - k);
  return twelve * 10 + ((11 - (sum % 11)) % 10);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function colName(j: number): string {
  return String.fromCharCode(65 + j);
}

/**
 * Writes the workbook to `path`: one sheet, a header row and `rows` rows of 22 columns, text in
 * the shared-strings table as Excel writes it (here with every name, address and remark distinct:
 * 11 distinct strings a row), dates as date-formatted serials, the national ID a number cell with
 * format "0". Streamed: each part is deflated as it is produced; nothing but the current row is held.
 */
export function writeWideXlsx(path: string, rows: number): void {
  const fd = openSync(path, 'w');
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    writeSync(fd, chunk);
  });
  const part = (name: string, body: (put: (s: string) => void) => void) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    let pending: string[] = [];
    let size = 0;
    const put = (s: string) => {
      pending.push(s);
      size += s.length;
      if (size > 1 << 20) {
        f.push(strToU8(pending.join('')));
        pending = [];
        size = 0;
      }
    };
    body(put);
    f.push(strToU8(pending.join('')), true);
  };
  const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  part('[Content_Types].xml', (put) => put(`${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`));
  part('_rels/.rels', (put) => put(`${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`));
  part('xl/workbook.xml', (put) => put(`${xml}<workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="หมายจับ" sheetId="1" r:id="rId1"/></sheets></workbook>`));
  part('xl/_rels/workbook.xml.rels', (put) => put(`${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`));
  // Styles: 0 General, 1 a date (d/m/yyyy), 2 the number format "0" (IDs).
  part('xl/styles.xml', (put) => put(`${xml}<styleSheet xmlns="${ns}"><numFmts count="1"><numFmt numFmtId="164" formatCode="d/m/yyyy"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Tahoma"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`));
  // Shared strings: headers, then the repeated values, then the distinct ones row by row.
  const fixedBase: number[] = [];
  let n = HEADERS.length;
  for (const list of FIXED) {
    fixedBase.push(n);
    n += list.length;
  }
  const distinctBase = n;
  const total = distinctBase + rows * DISTINCT_PER_ROW;
  part('xl/sharedStrings.xml', (put) => {
    put(`${xml}<sst xmlns="${ns}" count="${total + rows * FIXED.length}" uniqueCount="${total}">`);
    for (const h of HEADERS) put(`<si><t>${esc(h)}</t></si>`);
    for (const list of FIXED) for (const v of list) put(`<si><t>${esc(v)}</t></si>`);
    for (let i = 0; i < rows; i++) for (const v of distinct(i)) put(`<si><t>${esc(v)}</t></si>`);
    put('</sst>');
  });
  part('xl/worksheets/sheet1.xml', (put) => {
    put(`${xml}<worksheet xmlns="${ns}" xmlns:r="${rel}"><dimension ref="A1:V${rows + 1}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>`);
    put(`<row r="1" spans="1:22">${HEADERS.map((_h, j) => `<c r="${colName(j)}1" t="s"><v>${j}</v></c>`).join('')}</row>`);
    for (let i = 0; i < rows; i++) {
      const r = i + 2;
      const d = distinctBase + i * DISTINCT_PER_ROW;
      const s = (j: number, k: number) => `<c r="${colName(j)}${r}" t="s"><v>${d + k}</v></c>`;
      const fx = (j: number, f: number, pick: number) => `<c r="${colName(j)}${r}" t="s"><v>${fixedBase[f]! + (pick % FIXED[f]!.length)}</v></c>`;
      const dob = 18264 + ((i * 37) % 14600); // 1950-01-01 + up to 40 years
      const warrant = 42005 + ((i * 13) % 3650); // 2015 + up to 10 years
      const nid = thaiId(110000000000 + i * 7919);
      put(`<row r="${r}" spans="1:22"><c r="A${r}"><v>${i + 1}</v></c>${s(1, 0)}${s(2, 1)}${s(3, 2)}${s(4, 3)}<c r="F${r}" s="1"><v>${dob}</v></c>`
        + `${fx(6, 0, i)}${fx(7, 1, i >> 1)}<c r="I${r}" s="2"><v>${nid}</v></c>${s(9, 4)}${s(10, 5)}${fx(11, 2, i >> 2)}${s(12, 6)}${s(13, 7)}${s(14, 8)}`
        + `${fx(15, 3, i >> 3)}<c r="Q${r}" s="1"><v>${warrant}</v></c>${fx(17, 4, i >> 4)}${fx(18, 5, i)}${s(19, 9)}${s(20, 10)}${fx(21, 6, i >> 5)}</row>`);
    }
    put('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>');
  });
  zip.end();
  closeSync(fd);
}
