/**
 * The one API contract between the UI (or CLI) and the engine: every method's name, its request
 * schema (validated at the boundary with zod) and its response type. Transports (Electron IPC,
 * the loopback harness, direct calls in tests) carry `ApiRequest`/`ApiResponse` envelopes and know
 * nothing else.
 */
import { z } from 'zod';
import { DECISIONS, DIRECTIONS, LIST_KINDS, OUTCOMES, SEXES } from './domain';
import type { Band, Decision, Direction, ListKind, Outcome, Sex, Thresholds } from './domain';

const text = (max: number) => z.string().trim().max(max);
/** Largest upload accepted through the API, in bytes of base64 text (about 75 MB of file). */
export const MAX_UPLOAD_BASE64 = 100 * 1024 * 1024;
const base64 = z
  .string()
  .max(MAX_UPLOAD_BASE64)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** A traveler as typed or scanned at the desk. At least one name field is required. */
export const TravelerSchema = z
  .object({
    fullName: text(300).optional(),
    surname: text(200).optional(),
    givenNames: text(200).optional(),
    dateOfBirth: text(40).optional(),
    sex: z.enum(SEXES).optional(),
    nationality: text(60).optional(),
    documentNumber: text(40).optional(),
    documentIssuer: text(60).optional(),
  })
  .strict()
  .refine((t) => Boolean(t.fullName || t.surname || t.givenNames), {
    message: 'a traveler needs a name (fullName, surname or givenNames)',
  });
export type Traveler = z.infer<typeof TravelerSchema>;

const ColumnMappingSchema = z.record(z.string().max(40), z.number().int().min(0).max(16383));

/** Request schemas, one per API method. */
export const requestSchemas = {
  'app.status': z.object({}).strict(),
  'app.setup': z
    .object({
      adminUsername: text(64).min(1),
      password: z.string().min(10, 'password must be at least 10 characters').max(256),
      recoveryPassphrase: z
        .string()
        .min(16, 'recovery passphrase must be at least 16 characters')
        .max(512),
      checkpointName: text(120).min(1),
      timeZone: text(64).min(1),
    })
    .strict(),
  'auth.signIn': z.object({ username: text(64).min(1), password: z.string().min(1).max(256) }).strict(),
  'auth.signOut': z.object({}).strict(),
  'watchlists.list': z.object({}).strict(),
  'watchlists.import': z
    .object({
      listName: text(120).min(1),
      kind: z.enum(LIST_KINDS).optional(),
      fileName: text(255).min(1),
      contentBase64: base64,
      sheet: text(120).optional(),
      mapping: ColumnMappingSchema.optional(),
      dryRun: z.boolean().optional(),
    })
    .strict(),
  'watchlists.entries': z
    .object({
      listId: z.uuid(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(100000).default(100),
    })
    .strict(),
  'screening.screen': z
    .object({ traveler: TravelerSchema, top: z.number().int().min(1).max(100).optional() })
    .strict(),
  'screening.batch': z
    .object({
      fileName: text(255).min(1),
      contentBase64: base64,
      top: z.number().int().min(1).max(100).default(3),
      minScore: z.number().min(0).max(1).optional(),
    })
    .strict(),
  'screening.decide': z
    .object({
      hitId: z.uuid(),
      decision: z.enum(DECISIONS).exclude(['undecided']),
      note: text(2000).optional(),
    })
    .strict(),
  'crossings.record': z
    .object({
      screeningId: z.uuid(),
      direction: z.enum(DIRECTIONS),
      outcome: z.enum(OUTCOMES),
      note: text(2000).optional(),
    })
    .strict(),
  /** `from`/`to` are inclusive days in the checkpoint's time zone. */
  'crossings.list': z
    .object({
      flaggedOnly: z.boolean().default(false),
      from: isoDay.optional(),
      to: isoDay.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(10000).default(200),
    })
    .strict(),
  'crossings.export': z
    .object({
      format: z.enum(['xlsx', 'csv']),
      flaggedOnly: z.boolean().default(false),
      from: isoDay.optional(),
      to: isoDay.optional(),
    })
    .strict(),
  'audit.verify': z.object({}).strict(),
} as const;

export type ApiMethod = keyof typeof requestSchemas;
export const API_METHODS = Object.keys(requestSchemas) as ApiMethod[];
/** Request type of a method, as the caller writes it (defaults optional). */
export type ApiInput<M extends ApiMethod> = z.input<(typeof requestSchemas)[M]>;
/** Request type of a method after validation (defaults filled in). */
export type ApiParsed<M extends ApiMethod> = z.output<(typeof requestSchemas)[M]>;

/** Methods that may be called without a session. */
export const PUBLIC_METHODS: ReadonlySet<ApiMethod> = new Set(['app.status', 'app.setup', 'auth.signIn']);

// ---------------------------------------------------------------------------------------------
// Responses

export interface UserView {
  id: string;
  username: string;
  roles: string[];
}

export interface AppStatus {
  initialized: boolean;
  checkpointName: string | null;
  timeZone: string | null;
  user: UserView | null;
}

export interface SessionView {
  token: string;
  user: UserView;
}

export interface ListVersionView {
  id: string;
  number: number;
  fileName: string;
  sha256: string;
  createdAt: string;
  entryCount: number;
}

export interface ListView {
  id: string;
  name: string;
  kind: ListKind;
  actionText: string;
  thresholds: Thresholds;
  activeVersion: ListVersionView | null;
  /** Age of the active version in whole days, or null if none. */
  ageDays: number | null;
  stale: boolean;
}

export type ProblemSeverity = 'error' | 'warning';
/** One problem found while importing: `row` is the row number the spreadsheet shows (1-based). */
export interface ImportProblem {
  severity: ProblemSeverity;
  sheet: string;
  row: number;
  column: string | null;
  message: string;
}

export interface ImportReport {
  listId: string | null;
  versionId: string | null;
  versionNumber: number | null;
  fileName: string;
  sha256: string;
  sheet: string;
  headerRow: number;
  /** Field name -> header text of the column it was read from. */
  mapping: Record<string, string>;
  rowsRead: number;
  imported: number;
  rejected: number;
  problems: ImportProblem[];
  published: boolean;
  dryRun: boolean;
}

export interface EntryDocument {
  number: string;
  type: 'passport' | 'national-id' | 'other';
  issuer: string | null;
}

export interface EntryName {
  name: string;
  kind: 'primary' | 'alias';
}

export interface EntryView {
  id: string;
  entryId: string;
  sourceRow: number;
  names: EntryName[];
  dateOfBirth: string | null;
  sex: Sex | null;
  nationalities: string[];
  documents: EntryDocument[];
  reference: string | null;
  reason: string | null;
  remarks: string | null;
}

export type TokenMatchKind = 'exact' | 'folded' | 'phonetic' | 'typo' | 'joined' | 'initial';
export interface TokenMatch {
  query: string;
  entry: string;
  kind: TokenMatchKind;
  /** 0..1 similarity of the two tokens. */
  similarity: number;
}
export type FieldStatus = 'agree' | 'disagree' | 'partial' | 'unknown' | 'warning';
export interface FieldCheck {
  field: 'dateOfBirth' | 'nationality' | 'sex' | 'document';
  status: FieldStatus;
  /** Score change this field made, e.g. -0.08. */
  effect: number;
  detail: string;
}
/** Why a hit scored what it did: readable by a person, structured for the UI. */
export interface Explanation {
  summary: string;
  matchedName: string;
  nameScore: number;
  tokens: TokenMatch[];
  unmatchedQuery: string[];
  unmatchedEntry: string[];
  fields: FieldCheck[];
}

export interface HitView {
  hitId: string | null;
  list: string;
  listId: string;
  listKind: ListKind;
  versionId: string;
  entryId: string;
  sourceRow: number;
  score: number;
  band: Band;
  explanation: Explanation;
  entry: EntryView;
  action: string;
  decision: Decision;
  note: string | null;
}

export interface ScreeningResult {
  screeningId: string;
  screenedAt: string;
  hits: HitView[];
  warnings: string[];
  lists: { listId: string; name: string; versionNumber: number; ageDays: number; stale: boolean }[];
}

export interface BatchRow {
  row: number;
  id: string | null;
  name: string;
  hits: HitView[];
}
export interface BatchResult {
  travelers: number;
  rows: BatchRow[];
  problems: ImportProblem[];
}

export interface CrossingView {
  id: string;
  occurredAt: string;
  timeZone: string;
  checkpoint: string;
  direction: Direction;
  outcome: Outcome;
  officer: string;
  travelerName: string;
  traveler: Traveler;
  flagged: boolean;
  hits: {
    list: string;
    entryId: string;
    score: number;
    band: Band;
    decision: Decision;
    note: string | null;
  }[];
  note: string | null;
}

export interface ExportResult {
  fileName: string;
  contentBase64: string;
  sha256: string;
  rows: number;
}

export interface AuditVerifyResult {
  ok: boolean;
  rows: number;
  headSeq: number;
  headHash: string;
  firstBrokenSeq: number | null;
  message: string;
}

/** Response type of each method. */
export interface ApiResults {
  'app.status': AppStatus;
  'app.setup': SessionView;
  'auth.signIn': SessionView;
  'auth.signOut': { ok: true };
  'watchlists.list': ListView[];
  'watchlists.import': ImportReport;
  'watchlists.entries': { total: number; entries: EntryView[] };
  'screening.screen': ScreeningResult;
  'screening.batch': BatchResult;
  'screening.decide': HitView;
  'crossings.record': CrossingView;
  'crossings.list': { total: number; crossings: CrossingView[] };
  'crossings.export': ExportResult;
  'audit.verify': AuditVerifyResult;
}

// ---------------------------------------------------------------------------------------------
// Envelopes and errors

export const ERROR_CODES = [
  'invalid_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'bad_input',
  'locked',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The envelope every transport carries to the handler table. */
export interface ApiRequest {
  method: string;
  token?: string | null;
  payload?: unknown;
}

export interface ApiError {
  code: ErrorCode;
  /** Safe to show to the user: never holds personal data or internals. */
  message: string;
  /** Field-level problems for `invalid_request`. */
  issues?: { path: string; message: string }[];
}

export type ApiResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };

export { CSP, HARNESS_TOKEN_HEADER, IPC_CHANNEL, type WatchdeskBridge } from './transport';
