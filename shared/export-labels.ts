/**
 * The words of every export file (issue 14): column headers, sheet names and the value words
 * (directions, outcomes, bands, decisions, list kinds, yes/no) in English and Thai, keyed by
 * code, so that a file is written in the caller's UI language (`UiLang`). The type system refuses
 * a key that lacks its Thai text. The Thai words are the renderer's (renderer/src/i18n/th.ts:
 * การผ่านแดน, ผลตรงกัน, the decision and outcome words), so that a file reads like the screen.
 *
 * Used by electron/core/crossings/export.ts (crossings and audit exports) and the dashboard's
 * export (its keys go here too, under `dashboard.`).
 */
import type { UiLang } from './contract';
import type { Band, Decision, Direction, ListKind, Outcome } from './domain';

const EN = {
  // Sheet names (legal Excel names once write.ts legalSheetName has passed over them).
  'sheet.crossings': 'Crossings',
  'sheet.flaggedCrossings': 'Flagged crossings',
  'sheet.hits': 'Hits',
  'sheet.audit': 'Audit trail',
  // A crossing's columns.
  'col.crossingId': 'Crossing ID',
  'col.time': 'Time',
  'col.timeZone': 'Time zone',
  'col.checkpoint': 'Checkpoint',
  'col.direction': 'Direction',
  'col.outcome': 'Outcome',
  'col.officer': 'Officer',
  'col.traveler': 'Traveler',
  'col.dateOfBirth': 'Date of birth',
  'col.sex': 'Sex',
  'col.nationality': 'Nationality',
  'col.document': 'Document number',
  'col.documentIssuer': 'Document issuer',
  'col.nationalId': 'National ID number',
  'col.flagged': 'Flagged',
  'col.hits': 'Hits',
  'col.topScore': 'Top score',
  'col.crossingNote': 'Crossing note',
  'col.purged': 'Personal data purged',
  // A hit's columns.
  'col.list': 'List',
  'col.listKind': 'List kind',
  'col.version': 'List version',
  'col.entryId': 'Entry ID',
  'col.listedName': 'Listed name',
  'col.reference': 'Warrant / case reference',
  'col.score': 'Score',
  'col.band': 'Band',
  'col.decision': 'Decision',
  'col.decidedBy': 'Decided by',
  'col.decidedAt': 'Decided at',
  'col.hitNote': 'Decision note',
  'col.correction': 'Correction',
  // The audit trail's columns.
  'col.seq': 'Row',
  'col.actor': 'User',
  'col.action': 'Action',
  'col.subject': 'Subject',
  'col.details': 'Details (JSON)',
  'col.hash': 'Row hash (SHA-256)',
  'col.prevHash': 'Previous row hash',
  // Value words.
  'direction.entry': 'Entry',
  'direction.exit': 'Exit',
  'outcome.passed': 'Passed',
  'outcome.refused-entry': 'Refused entry',
  'outcome.held': 'Held',
  'outcome.referred': 'Referred',
  'band.strong': 'Strong',
  'band.review': 'Review',
  'band.weak': 'Weak',
  'decision.undecided': 'Undecided',
  'decision.not-same-person': 'Not the same person',
  'decision.confirmed': 'Confirmed',
  'kind.wanted': 'Wanted',
  'kind.at-risk': 'At risk',
  'kind.deny-entry': 'Deny entry',
  'kind.monitor': 'Monitor',
  yes: 'yes',
  no: 'no',
  /** A corrected hit: {by} {at} {reason} {was} {wasBy} {wasAt}, then {note} (the original note, with its separator, or nothing). */
  correction: 'corrected by {by} at {at} ({reason}); was {was} by {wasBy} at {wasAt}{note}',
  correctionNote: ': {note}',
  unknown: '?',
  // The dashboard's export (electron/core/crossings/dashboard.ts): sheets, its first sheet, its own columns.
  'dashboard.sheet.about': 'About',
  'dashboard.sheet.perDay': 'Per day',
  'dashboard.sheet.byList': 'By list',
  'dashboard.sheet.byCheckpoint': 'By checkpoint',
  'dashboard.sheet.byDirection': 'By direction',
  'dashboard.sheet.decisions': 'Decisions by band',
  'dashboard.sheet.topEntries': 'Entries hit most',
  'dashboard.sheet.outcomes': 'Outcomes per day',
  'dashboard.about.title': 'Watchdesk dashboard',
  'dashboard.about.from': 'From',
  'dashboard.about.to': 'To',
  'dashboard.about.madeAt': 'Made at (local time)',
  'dashboard.about.note': 'Days are local days in the time zone above; a hit counts on the day of its screening; decisions are the current ones (after any correction).',
  'dashboard.col.day': 'Day',
  'dashboard.col.screenings': 'Screenings',
  'dashboard.col.crossings': 'Crossings',
  'dashboard.col.flagged': 'Flagged crossings',
} as const;

/** A code of an export word. */
export type ExportLabelKey = keyof typeof EN;

const TH: Record<ExportLabelKey, string> = {
  'sheet.crossings': 'การผ่านแดน',
  'sheet.flaggedCrossings': 'การผ่านแดนที่มีผลตรงกัน',
  'sheet.hits': 'ผลตรงกัน',
  'sheet.audit': 'บันทึกการตรวจสอบ',
  'col.crossingId': 'รหัสการผ่านแดน',
  'col.time': 'เวลา',
  'col.timeZone': 'เขตเวลา',
  'col.checkpoint': 'ด่านตรวจ',
  'col.direction': 'ทิศทาง',
  'col.outcome': 'ผล',
  'col.officer': 'เจ้าหน้าที่',
  'col.traveler': 'ผู้เดินทาง',
  'col.dateOfBirth': 'วันเกิด',
  'col.sex': 'เพศ',
  'col.nationality': 'สัญชาติ',
  'col.document': 'เลขที่เอกสาร',
  'col.documentIssuer': 'ผู้ออกเอกสาร',
  'col.nationalId': 'เลขประจำตัวประชาชน',
  'col.flagged': 'มีผลตรงกัน',
  'col.hits': 'จำนวนผลตรงกัน',
  'col.topScore': 'คะแนนสูงสุด',
  'col.crossingNote': 'หมายเหตุการผ่านแดน',
  'col.purged': 'ลบข้อมูลส่วนบุคคลแล้ว',
  'col.list': 'บัญชี',
  'col.listKind': 'ประเภทบัญชี',
  'col.version': 'ฉบับของบัญชี',
  'col.entryId': 'รหัสรายการ',
  'col.listedName': 'ชื่อในบัญชี',
  'col.reference': 'เลขที่หมายจับ/คดี',
  'col.score': 'คะแนน',
  'col.band': 'ระดับ',
  'col.decision': 'คำตัดสิน',
  'col.decidedBy': 'ผู้ตัดสิน',
  'col.decidedAt': 'เวลาที่ตัดสิน',
  'col.hitNote': 'หมายเหตุคำตัดสิน',
  'col.correction': 'การแก้ไข',
  'col.seq': 'ลำดับ',
  'col.actor': 'ผู้ใช้',
  'col.action': 'การกระทำ',
  'col.subject': 'สิ่งที่เกี่ยวข้อง',
  'col.details': 'รายละเอียด (JSON)',
  'col.hash': 'แฮชของแถว (SHA-256)',
  'col.prevHash': 'แฮชของแถวก่อนหน้า',
  'direction.entry': 'ขาเข้า',
  'direction.exit': 'ขาออก',
  'outcome.passed': 'ผ่าน',
  'outcome.refused-entry': 'ปฏิเสธการเข้าเมือง',
  'outcome.held': 'กักตัว',
  'outcome.referred': 'ส่งต่อ',
  'band.strong': 'สูง',
  'band.review': 'ต้องตรวจสอบ',
  'band.weak': 'ต่ำ',
  'decision.undecided': 'ยังไม่ตัดสิน',
  'decision.not-same-person': 'ไม่ใช่บุคคลเดียวกัน',
  'decision.confirmed': 'ยืนยันแล้ว',
  'kind.wanted': 'หมายจับ',
  'kind.at-risk': 'กลุ่มเสี่ยง',
  'kind.deny-entry': 'ห้ามเข้าเมือง',
  'kind.monitor': 'เฝ้าติดตาม',
  yes: 'ใช่',
  no: 'ไม่ใช่',
  correction: 'แก้ไขโดย {by} เมื่อ {at} ({reason}) เดิม {was} โดย {wasBy} เมื่อ {wasAt}{note}',
  correctionNote: ': {note}',
  unknown: '?',
  'dashboard.sheet.about': 'เกี่ยวกับไฟล์',
  'dashboard.sheet.perDay': 'รายวัน',
  'dashboard.sheet.byList': 'ตามบัญชี',
  'dashboard.sheet.byCheckpoint': 'ตามด่านตรวจ',
  'dashboard.sheet.byDirection': 'ตามทิศทาง',
  'dashboard.sheet.decisions': 'คำตัดสินตามระดับ',
  'dashboard.sheet.topEntries': 'รายการที่ตรงบ่อยที่สุด',
  'dashboard.sheet.outcomes': 'ผลการผ่านแดนรายวัน',
  'dashboard.about.title': 'แดชบอร์ด Watchdesk',
  'dashboard.about.from': 'ตั้งแต่',
  'dashboard.about.to': 'ถึง',
  'dashboard.about.madeAt': 'สร้างเมื่อ (เวลาท้องถิ่น)',
  'dashboard.about.note': 'วันที่เป็นวันตามเวลาท้องถิ่นของเขตเวลาข้างต้น ผลตรงกันนับในวันที่คัดกรอง คำตัดสินเป็นคำตัดสินปัจจุบัน (หลังการแก้ไข)',
  'dashboard.col.day': 'วันที่',
  'dashboard.col.screenings': 'การคัดกรอง',
  'dashboard.col.crossings': 'การผ่านแดน',
  'dashboard.col.flagged': 'การผ่านแดนที่มีผลตรงกัน',
};

/** Every export word in each UI language. */
export const EXPORT_LABELS: Record<UiLang, Record<ExportLabelKey, string>> = { en: EN, th: TH };

/** The word `key` in `lang`, with `{name}` placeholders filled from `params` (values inserted as they are). */
export function exportLabel(lang: UiLang, key: ExportLabelKey, params: Record<string, string> = {}): string {
  const t = EXPORT_LABELS[lang][key];
  return t.replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m);
}

/** Value words by their domain code (a direction, outcome, band, decision or list kind) in `lang`. */
export const valueWord = {
  direction: (lang: UiLang, v: Direction): string => EXPORT_LABELS[lang][`direction.${v}`],
  outcome: (lang: UiLang, v: Outcome): string => EXPORT_LABELS[lang][`outcome.${v}`],
  band: (lang: UiLang, v: Band): string => EXPORT_LABELS[lang][`band.${v}`],
  decision: (lang: UiLang, v: Decision): string => EXPORT_LABELS[lang][`decision.${v}`],
  kind: (lang: UiLang, v: ListKind): string => EXPORT_LABELS[lang][`kind.${v}`],
  yesNo: (lang: UiLang, v: boolean): string => EXPORT_LABELS[lang][v ? 'yes' : 'no'],
};
