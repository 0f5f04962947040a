/**
 * The one API contract between the UI (or CLI) and the engine: every method's name, its request
 * schema (validated at the boundary with zod) and its response type. Transports (Electron IPC,
 * the loopback harness, direct calls in tests) carry `ApiRequest`/`ApiResponse` envelopes and know
 * nothing else.
 */
import { z } from 'zod';
import { BANDS, DECISIONS, DIRECTIONS, LIST_KINDS, OUTCOMES, SEXES } from './domain';
import type { Band, Decision, Direction, ListKind, Outcome, Sex, Thresholds } from './domain';
import { MAX_PASSWORD_LENGTH, MIN_PASSPHRASE_LENGTH, MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from './passwords';
import { looksLikeMrz, type MrzReading } from './mrz';
import type { ReasonCode, ReasonParams } from './reasons';

const text = (max: number) => z.string().trim().max(max);
/** A score on the 0..1 scale (a band threshold). */
const score = z.number().min(0, 'field.score' satisfies ReasonCode).max(1, 'field.score' satisfies ReasonCode);
/** Longest action text a list may set, in characters. */
export const MAX_ACTION_TEXT = 500;

/** The roles a user may hold (DESIGN.md section 2); a person may hold several. */
export const ROLE_NAMES = ['admin', 'supervisor', 'officer', 'auditor'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
/** Largest upload accepted through the API, in bytes of base64 text (about 75 MB of file). */
export const MAX_UPLOAD_BASE64 = 100 * 1024 * 1024;
const base64 = z
  .string()
  .max(MAX_UPLOAD_BASE64)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'field.base64' satisfies ReasonCode);
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'field.isoDay' satisfies ReasonCode)
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'field.noSuchDay' satisfies ReasonCode);
/** Days after which a list's active version is stale (a list's own limit or the checkpoint's). */
const staleDays = z.number().int().min(1).max(3650);
/** A day range must not end before it starts. */
const rangeInOrder = (r: { from?: string; to?: string }): boolean => !r.from || !r.to || r.from <= r.to;
const RANGE_MESSAGE = { message: 'field.rangeReversed' satisfies ReasonCode, path: ['to'] };

/** A name field must not hold a machine-readable zone: an MRZ screened as a name finds no one. */
const personName = (max: number) => text(max).refine((v) => !looksLikeMrz(v), 'field.mrzInName' satisfies ReasonCode).optional();

/**
 * A traveler as typed or scanned at the desk: a name, a document number, a national ID or an MRZ
 * (ICAO Doc 9303, its lines joined by newlines; shared/mrz.ts) is required. Fields typed beside an
 * MRZ take precedence over what the MRZ says.
 */
export const TravelerSchema = z
  .object({
    fullName: personName(300),
    surname: personName(200),
    givenNames: personName(200),
    dateOfBirth: text(40).optional(),
    sex: z.enum(SEXES).optional(),
    nationality: text(60).optional(),
    documentNumber: text(40).optional(),
    documentIssuer: text(60).optional(),
    /** The holder's national ID number (e.g. the Thai 13-digit citizen number). */
    nationalId: text(40).optional(),
    /** The machine-readable zone as read: 2 or 3 lines joined by newlines. */
    mrz: text(300).optional(),
  })
  .strict()
  .refine((t) => Boolean(t.fullName || t.surname || t.givenNames || t.documentNumber || t.nationalId || t.mrz), {
    message: 'field.travelerNeedsName' satisfies ReasonCode,
  });
export type Traveler = z.infer<typeof TravelerSchema>;

const ColumnMappingSchema = z.record(z.string().max(40), z.number().int().min(0).max(16383));

/** A spreadsheet (and, for the OFAC set, its companion files) to import as a list version. */
const ImportRequestSchema = z
  .object({
    listName: text(120).min(1),
    kind: z.enum(LIST_KINDS).optional(),
    fileName: text(255).min(1),
    contentBase64: base64,
    extraFiles: z.array(z.object({ fileName: text(255).min(1), contentBase64: base64 }).strict()).max(4).optional(),
    sheet: text(120).optional(),
    mapping: ColumnMappingSchema.optional(),
    /** Day/month order of the date-of-birth column's numeric dates; default: detected from its values (day first when they cannot tell). */
    dateOrder: z.enum(['dmy', 'mdy']).optional(),
    /** Reading of its six- or eight-digit dates; default: the one reading fitting every value (YYMMDD/YYYYMMDD when several do). */
    compactDates: z.enum(['YYMMDD', 'DDMMYY', 'MMDDYY', 'YYYYMMDD', 'DDMMYYYY', 'MMDDYYYY']).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

/** A supervisor's approval given on the officer's desk (four eyes): the supervisor's own username and password. */
const ApprovalSchema = z.object({ username: text(64).min(1), password: z.string().min(1).max(256) }).strict();

/** A passenger manifest (csv/xlsx) to screen, with the hits kept per traveler. */
const ManifestRequestSchema = z
  .object({
    fileName: text(255).min(1),
    contentBase64: base64,
    top: z.number().int().min(1).max(100).default(3),
    minScore: z.number().min(0).max(1).optional(),
  })
  .strict();

/**
 * Filters of the department's crossings at the centre (`central.crossings`, `central.crossingsExport`;
 * electron/core/central/browse.ts). All optional, combined with AND; an empty text is no filter.
 * - `from`/`to`: inclusive days, each in the crossing's own time zone (the local day at its checkpoint);
 * - `checkpoint` (name), `officer` (username), both case-insensitive; `direction`, `outcome`; `flaggedOnly`;
 * - `list` (a list id, or a list name as the desk recorded it), `band`, `decision` (the hit's latest,
 *   after later decisions and corrections): a crossing matches when ONE of its hits meets all three.
 * There is no search by traveler: who looked for whom is not a question the browser answers.
 */
const CentralCrossingsFilterSchema = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  checkpoint: text(120).optional(),
  officer: text(64).optional(),
  direction: z.enum(DIRECTIONS).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  list: text(120).optional(),
  band: z.enum(BANDS).optional(),
  decision: z.enum(DECISIONS).optional(),
  flaggedOnly: z.boolean().default(false),
});

/** The languages of the UI; exports write their headers and words in the caller's. */
export const UI_LANGS = ['en', 'th'] as const;
export type UiLang = (typeof UI_LANGS)[number];

/** Columns the desk's crossings browser sorts by (each with the crossing's time, then id, as the tie-break). */
export const CROSSING_SORTS = ['time', 'topScore', 'officer', 'direction', 'outcome'] as const;
export type CrossingSort = (typeof CROSSING_SORTS)[number];

/**
 * Filters of the desk's own crossings (`crossings.list`, `crossings.exportStart`, `dashboard.*`,
 * the CLI's `crossings`; electron/core/crossings/query.ts): those of the centre's browser (days in
 * the checkpoint's time zone here) plus a search by the traveler's name (`name`: ranked by the
 * matcher, so other scripts, romanizations, name order and typos are found; see query.ts for its
 * limits) and by document number (`document`: the passport or national ID, exact after removing
 * spaces and dashes, case-insensitive). A search is audited with the crossings it showed (PDPA:
 * who looked at this person). An officer only ever sees the crossings they recorded and the last
 * 24 hours at their checkpoint, whatever the filter.
 */
export const CrossingsFilterSchema = CentralCrossingsFilterSchema.extend({
  name: text(200).optional(),
  document: text(60).optional(),
});
export type CrossingsFilterInput = z.input<typeof CrossingsFilterSchema>;
export type CrossingsFilter = z.output<typeof CrossingsFilterSchema>;

/** Request schemas, one per API method. */
export const requestSchemas = {
  'app.status': z.object({}).strict(),
  'app.setup': z
    .object({
      adminUsername: text(64).min(1),
      password: z.string().min(MIN_PASSWORD_LENGTH, 'password.tooShort' satisfies ReasonCode).max(MAX_PASSWORD_LENGTH),
      recoveryPassphrase: z
        .string()
        .min(MIN_PASSPHRASE_LENGTH, 'passphrase.tooShort' satisfies ReasonCode)
        .max(512),
      checkpointName: text(120).min(1),
      timeZone: text(64).min(1),
    })
    .strict(),
  'auth.signIn': z.object({ username: text(64).min(1), password: z.string().min(1).max(256) }).strict(),
  'auth.signOut': z.object({}).strict(),
  'watchlists.list': z.object({}).strict(),
  'watchlists.import': ImportRequestSchema,
  /** Starts an import in the background (parsed off the main thread); poll importStatus. */
  'watchlists.importStart': ImportRequestSchema,
  'watchlists.importStatus': z.object({ jobId: z.uuid() }).strict(),
  'watchlists.importCancel': z.object({ jobId: z.uuid() }).strict(),
  /** The report of a finished import job as xlsx (audited: it holds names). */
  'watchlists.exportReport': z.object({ jobId: z.uuid() }).strict(),
  'watchlists.versions': z.object({ listId: z.uuid() }).strict(),
  /**
   * `approval`: a second supervisor's (their own username and password), needed on a list whose new
   * versions need one (ListView.requireApproval). Audited (`list.rollback`, with `approvedBy`).
   */
  'watchlists.rollback': z.object({ listId: z.uuid(), versionId: z.uuid(), approval: ApprovalSchema.optional() }).strict(),
  'watchlists.approve': z.object({ versionId: z.uuid() }).strict(),
  'watchlists.reject': z.object({ versionId: z.uuid() }).strict(),
  /**
   * New versions need a second supervisor's approval (four eyes). Turning it on needs nobody;
   * turning it off needs `approval`, a second supervisor's. Audited (`list.setApproval`, with `approvedBy`).
   */
  'watchlists.setApproval': z.object({ listId: z.uuid(), requireApproval: z.boolean(), approval: ApprovalSchema.optional() }).strict(),
  /**
   * Clearing a strong hit on the list needs a supervisor's approval at the desk (four eyes). Turning
   * it off needs `approval`, a second supervisor's. Audited (`list.setClearanceApproval`, with `approvedBy`).
   */
  'watchlists.setClearanceApproval': z.object({ listId: z.uuid(), required: z.boolean(), approval: ApprovalSchema.optional() }).strict(),
  /**
   * A list's lifecycle (issue 13, watchlists/lifecycle.ts): rename it (unique, case-insensitively),
   * correct its kind, retire it (no longer screened, at once; still readable; takes no new version)
   * or reactivate it. `approval`: a second supervisor's, needed on a list whose new versions need
   * one (ListView.requireApproval). Refused for a list of the centre where the centre decides.
   * Audited (`list.rename`, `list.kind` with old and new; `list.retire`, `list.reactivate`; each with `approvedBy`).
   */
  'watchlists.rename': z.object({ listId: z.uuid(), name: text(120).min(1), approval: ApprovalSchema.optional() }).strict(),
  'watchlists.setKind': z.object({ listId: z.uuid(), kind: z.enum(LIST_KINDS), approval: ApprovalSchema.optional() }).strict(),
  'watchlists.retire': z.object({ listId: z.uuid(), approval: ApprovalSchema.optional() }).strict(),
  'watchlists.reactivate': z.object({ listId: z.uuid(), approval: ApprovalSchema.optional() }).strict(),
  /**
   * A list's own score bands and action text. Thresholds are 0..1 scores: a number sets one, null
   * restores its default (DEFAULT_THRESHOLDS), absent leaves it; `thresholds: null` restores all
   * three. `actionText` null or empty restores the kind's default (DEFAULT_ACTIONS). Refused unless
   * weak < review <= strong once defaults are applied. Audited (`list.setSettings`, old and new values).
   */
  'watchlists.setSettings': z
    .object({
      listId: z.uuid(),
      thresholds: z
        .object({ strong: score.nullable().optional(), review: score.nullable().optional(), weak: score.nullable().optional() })
        .strict()
        .nullable()
        .optional(),
      actionText: text(MAX_ACTION_TEXT).nullable().optional(),
      /** Days after which the list is stale (issue 11); null follows the checkpoint's limit. */
      staleDays: staleDays.nullable().optional(),
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
  'screening.batch': ManifestRequestSchema,
  /** Starts screening a manifest in the background (one batch per user at a time); poll batchStatus. */
  'screening.batchStart': ManifestRequestSchema,
  /** Progress of the caller's own batch; its result once finished or cancelled. */
  'screening.batchStatus': z.object({ jobId: z.uuid() }).strict(),
  /** Stops the caller's batch before its next traveler; it keeps the travelers screened so far. */
  'screening.batchCancel': z.object({ jobId: z.uuid() }).strict(),
  /** Forgets the caller's batch and its result now (cancelling it if it still runs). */
  'screening.batchDiscard': z.object({ jobId: z.uuid() }).strict(),
  /** A finished or cancelled batch's result as xlsx or csv (audited: it holds names). */
  'screening.batchExport': z
    .object({ jobId: z.uuid(), format: z.enum(['xlsx', 'csv']), withHitsOnly: z.boolean().default(false) })
    .strict(),
  /** `approval`: a supervisor's, needed to clear a strong hit on a list that asks for it (ListView.clearanceApproval). */
  /** What a printed hit report holds (a decided hit), audited as `report.print`. */
  'screening.report': z.object({ hitId: z.uuid() }).strict(),
  'screening.decide': z
    .object({
      hitId: z.uuid(),
      decision: z.enum(DECISIONS).exclude(['undecided']),
      note: text(2000).optional(),
      approval: ApprovalSchema.optional(),
    })
    .strict(),
  /** Applies the earlier clearance shown with the hit (HitView.previousClearance) as a fresh decision, audited as repeating it. */
  'screening.applyPrevious': z.object({ hitId: z.uuid(), approval: ApprovalSchema.optional() }).strict(),
  /** A supervisor changes a hit's decision, also after the crossing is recorded; the reason is mandatory and the replaced decision is kept. */
  'screening.correct': z
    .object({
      hitId: z.uuid(),
      decision: z.enum(DECISIONS).exclude(['undecided']),
      reason: text(2000).min(1),
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
  /**
   * One page of the desk's crossings that match (CrossingsFilterSchema), sorted in the engine;
   * `from`/`to` are inclusive days in the checkpoint's time zone. With a name search and no `sort`
   * the rows come best match first.
   */
  'crossings.list': CrossingsFilterSchema.extend({
    /** Absent: time (newest first), or best match first with a name search. */
    sort: z.enum(CROSSING_SORTS).optional(),
    order: z.enum(['desc', 'asc']).default('desc'),
    offset: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(10_000).default(200),
  }).strict().refine(rangeInOrder, RANGE_MESSAGE),
  /** One crossing with everything about it (CrossingDetail); audited as `crossing.view` (who looked at this person). */
  'crossings.get': z.object({ id: z.uuid() }).strict(),
  /** Exports the matching crossings at once (the CLI's `export crossings`): exportStart's job, awaited. */
  'crossings.export': CrossingsFilterSchema.extend({
    format: z.enum(['xlsx', 'csv']),
    lang: z.enum(UI_LANGS).default('en'),
  }).strict().refine(rangeInOrder, RANGE_MESSAGE),
  /**
   * Starts exporting the matching crossings and their hits in a worker (xlsx: a crossings sheet and
   * a hits sheet; csv: one row per hit), headers in `lang`; poll `exports.status`, then `exports.take`.
   */
  'crossings.exportStart': CrossingsFilterSchema.extend({
    format: z.enum(['xlsx', 'csv']),
    lang: z.enum(UI_LANGS).default('en'),
  }).strict().refine(rangeInOrder, RANGE_MESSAGE),
  /** Starts exporting the audit trail (days in the checkpoint's time zone, optionally one action) in a worker; as crossings.exportStart. */
  'audit.exportStart': z
    .object({
      format: z.enum(['xlsx', 'csv']),
      lang: z.enum(UI_LANGS).default('en'),
      action: text(60).optional(),
      from: isoDay.optional(),
      to: isoDay.optional(),
    })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /** Where an export job of the caller stands (progress, then the file's name, rows and SHA-256). */
  'exports.status': z.object({ jobId: z.uuid() }).strict(),
  /** Stops an export job of the caller; nothing is handed out or audited. */
  'exports.cancel': z.object({ jobId: z.uuid() }).strict(),
  /** Hands out a finished export's file (once; audited then, with its filter, row count and SHA-256). */
  'exports.take': z.object({ jobId: z.uuid() }).strict(),
  /**
   * The supervisors' dashboard over the desk's screenings, hits, decisions and crossings: inclusive
   * days in the checkpoint's time zone (default: the last 30 days up to today).
   */
  'dashboard.get': z.object({ from: isoDay.optional(), to: isoDay.optional() }).strict().refine(rangeInOrder, RANGE_MESSAGE),
  /** The dashboard's tables for a range as xlsx (one sheet per table, headers in `lang`); audited. */
  'dashboard.export': z
    .object({ from: isoDay.optional(), to: isoDay.optional(), lang: z.enum(UI_LANGS).default('en') })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
  /**
   * Verifies the trail; with `anchor`, also against the audit anchor an export or a backup carries
   * (issue 15: the head kept where an insider cannot reach it).
   */
  'audit.verify': z.object({ anchor: z.object({ fileName: text(255).min(1), contentBase64: base64 }).strict().optional() }).strict(),
  /** The signing keys the audit trail trusts, with fingerprints (auditor, admin; issue 15). */
  'audit.keys': z.object({}).strict(),
  // --- users, roles, keys, audit trail, retention, backup (issue 5) ---
  'auth.changePassword': z
    .object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) })
    .strict(),
  /** Sets a new password with the recovery passphrase (every password lost, or a new machine). */
  'auth.recover': z
    .object({ username: text(64).min(1), recoveryPassphrase: z.string().min(1).max(512), newPassword: z.string().min(1).max(256) })
    .strict(),
  'users.list': z.object({}).strict(),
  'users.create': z
    .object({
      username: text(64).regex(USERNAME_PATTERN, 'field.username' satisfies ReasonCode),
      password: z.string().min(1).max(256),
      roles: z.array(z.enum(ROLE_NAMES)).min(1, 'field.needRole' satisfies ReasonCode).max(4),
    })
    .strict(),
  /** Changes roles and/or disables or enables an account; enabling needs a new password (its key slot was removed). */
  'users.update': z
    .object({
      userId: z.uuid(),
      roles: z.array(z.enum(ROLE_NAMES)).min(1, 'field.needRole' satisfies ReasonCode).max(4).optional(),
      disabled: z.boolean().optional(),
      password: z.string().min(1).max(256).optional(),
    })
    .strict(),
  'users.resetPassword': z.object({ userId: z.uuid(), password: z.string().min(1).max(256) }).strict(),
  'settings.get': z.object({}).strict(),
  'settings.update': z
    .object({
      idleMinutes: z.number().int().min(1).max(240).optional(),
      /** Days crossings and screenings keep personal data; 0 keeps it for ever. */
      retentionDays: z.number().int().min(0).max(36500).optional(),
      /** Hours without a completed sync after which a desk joined to a centre warns (1 hour to 1 year). */
      offlineLimitHours: z.number().int().min(1).max(8760).optional(),
    })
    .strict(),
  'audit.list': z
    .object({
      action: text(60).optional(),
      actorId: z.uuid().optional(),
      subject: text(80).optional(),
      from: isoDay.optional(),
      to: isoDay.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    })
    .strict(),
  /** The checkpoint's limit in days after which a list is stale (supervisor, admin; audited). */
  'settings.setStaleLimit': z.object({ staleDays }).strict(),
  /** Purges personal data older than the retention period from screenings and crossings. */
  'retention.purge': z.object({}).strict(),
  /** Copies the database under a new random key, verifies it and swaps it in. */
  'keys.rotate': z.object({ password: z.string().min(1).max(256), recoveryPassphrase: z.string().min(1).max(512) }).strict(),
  /** An encrypted backup in one file, restorable only with the recovery passphrase; verified before it is returned. */
  'backup.create': z.object({ recoveryPassphrase: z.string().min(1).max(512) }).strict(),
  /** Restores a backup where no database exists yet and sets a new password for one of its admins. */
  'backup.restore': z
    .object({
      contentBase64: base64,
      recoveryPassphrase: z.string().min(1).max(512),
      username: text(64).min(1),
      newPassword: z.string().min(1).max(256),
    })
    .strict(),
  // --- the centre (issue 16; electron/core/central/sync.ts) ---
  /** Where this desk stands with the centre: joined or not, last sync, rows waiting, offline past the limit. */
  'central.status': z.object({}).strict(),
  /**
   * One pull (signed list publications) and one push (the outbox) now. `url`: another address of
   * the same centre for this sync only (host, port, database; the desk's own credentials and pinned
   * certificate are used), a postgres:// URL with neither user nor password.
   */
  'central.sync': z.object({ url: text(500).optional() }).strict(),
  /** Publishes the list's active version and settings at the centre, signed by the caller's key (supervisor, publishing desk). */
  'central.publish': z.object({ listId: z.uuid() }).strict(),
  /** Retires the list at the centre (a signed publication): desks stop screening against it at their next sync. */
  'central.retire': z.object({ listId: z.uuid() }).strict(),
  /**
   * The department's crossings at the centre, newest first, page by page (auditor, supervisor; a
   * joined desk). On an auditing desk every checkpoint's; on any other desk PostgreSQL's row-level
   * security gives only the desk's own checkpoint's (the result's `scope` says which). Audited on
   * the desk with the filter and the row count. See CentralCrossingsFilterSchema for the filters.
   */
  'central.crossings': CentralCrossingsFilterSchema.extend({
    offset: z.number().int().min(0).max(1_000_000).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  }).strict().refine(rangeInOrder, RANGE_MESSAGE),
  /** The department's crossings that match, as xlsx or csv (formula-safe, with the audit anchor); audited with its SHA-256 and row count. */
  'central.crossingsExport': CentralCrossingsFilterSchema.extend({ format: z.enum(['xlsx', 'csv']) }).strict().refine(rangeInOrder, RANGE_MESSAGE),
  /**
   * The supervisors' dashboard counted at the centre (auditor, supervisor; a joined desk;
   * electron/core/central/dashboard.ts): the same view and range rules as `dashboard.get`, each
   * crossing counted on its local day at its own checkpoint; every checkpoint on an auditing desk,
   * else row-level security gives only this desk's checkpoint (the view's `scope` says which).
   */
  'central.dashboard': z.object({ from: isoDay.optional(), to: isoDay.optional() }).strict().refine(rangeInOrder, RANGE_MESSAGE),
  /** That dashboard's tables as xlsx (as `dashboard.export`, the scope in its title and file name); audited. */
  'central.dashboardExport': z
    .object({ from: isoDay.optional(), to: isoDay.optional(), lang: z.enum(UI_LANGS).default('en') })
    .strict()
    .refine(rangeInOrder, RANGE_MESSAGE),
} as const;

export type ApiMethod = keyof typeof requestSchemas;
export const API_METHODS = Object.keys(requestSchemas) as ApiMethod[];
/** Request type of a method, as the caller writes it (defaults optional). */
export type ApiInput<M extends ApiMethod> = z.input<(typeof requestSchemas)[M]>;
/** Request type of a method after validation (defaults filled in). */
export type ApiParsed<M extends ApiMethod> = z.output<(typeof requestSchemas)[M]>;

/** Methods that may be called without a session. */
export const PUBLIC_METHODS: ReadonlySet<ApiMethod> = new Set(['app.status', 'app.setup', 'auth.signIn', 'auth.recover', 'backup.restore']);

/**
 * Methods the app calls on a timer (the centre's status every minute, a sync every five): they are
 * not the user's activity, so they do not keep an idle session alive (Engine.handle).
 */
export const BACKGROUND_METHODS: ReadonlySet<ApiMethod> = new Set(['central.status', 'central.sync']);

// ---------------------------------------------------------------------------------------------
// Responses

export interface UserView {
  id: string;
  username: string;
  roles: string[];
}

export interface AppStatus {
  initialized: boolean;
  /** Minutes without input after which the desk locks (signs out); a setting. */
  idleMinutes: number;
  checkpointName: string | null;
  timeZone: string | null;
  user: UserView | null;
  /**
   * The match index, for a signed-in caller (null otherwise): `ready` once one answers,
   * `progress` the running build's fraction 0..1 (null when none runs), `entries` in the one answering.
   */
  index: { ready: boolean; progress: number | null; entries: number } | null;
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
  /** The date the file gives for itself (ISO day: UN `dateGenerated`, an "updated" title row), or null. */
  sourceDate: string | null;
}

/** Where a list's age is counted from: the date its file gives for itself, else its import. */
export type AgeBasis = 'source' | 'import';

export interface ListView {
  id: string;
  name: string;
  kind: ListKind;
  /** The action shown with a hit: the list's own text, else the default of its kind. */
  actionText: string;
  /** Score bands in force (0..1): the list's own values, else DEFAULT_THRESHOLDS. */
  thresholds: Thresholds;
  /** The list's own settings, null where the default applies (set with watchlists.setSettings). */
  overrides: { strong: number | null; review: number | null; weak: number | null; actionText: string | null; staleDays: number | null };
  activeVersion: ListVersionView | null;
  /** Age of the active version in whole days, or null if none. */
  ageDays: number | null;
  /** What the age is counted from (null without an active version). */
  ageBasis: AgeBasis | null;
  /** The source date or the import instant the age is counted from (ISO), or null. */
  ageSince: string | null;
  /** The limit in force: the list's own, else the checkpoint's (days). */
  staleAfterDays: number;
  /** Older than `staleAfterDays`. */
  stale: boolean;
  /** Publishing a version needs a second supervisor's approval (four eyes). */
  requireApproval: boolean;
  /** Clearing (not the same person) a strong hit on this list needs a supervisor's approval at the desk (four eyes). */
  clearanceApproval: boolean;
  /** Number of a version waiting for approval, if any. */
  pendingVersion: number | null;
  /** 'local': imported at this desk; 'central': published by the centre and applied here (issue 16). */
  origin?: 'local' | 'central';
  /**
   * When the list was retired (ISO), by the centre or at this desk (watchlists.retire), else null: a
   * retired list is not screened (activeVersion null) and stays readable.
   */
  retiredAt?: string | null;
  /** For a retired list: the version it answered with when retired (its entries stay readable), else null. */
  retiredVersion?: ListVersionView | null;
}

export type VersionState = 'staging' | 'pending' | 'published' | 'superseded' | 'rejected';
export interface DiffCounts {
  /** Number of the version compared against (the active one at import), or null. */
  againstVersion: number | null;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}
export interface DiffItem {
  entryId: string;
  name: string;
  /** Row in the new file (added, changed) or in the old version's file (removed). */
  sourceRow: number;
  /** Fields that differ (changed only). */
  fields?: string[];
}
export interface ImportDiff extends DiffCounts {
  samples: { added: DiffItem[]; removed: DiffItem[]; changed: DiffItem[] };
}
export interface ListVersionDetail {
  id: string;
  number: number;
  fileName: string;
  sha256: string;
  createdAt: string;
  createdBy: string;
  state: VersionState;
  active: boolean;
  rowsRead: number;
  imported: number;
  rejected: number;
  diff: DiffCounts | null;
  approvedBy: string | null;
  approvedAt: string | null;
}
export interface ImportColumn {
  index: number;
  /** Spreadsheet column letter (A, B, ... AA). */
  letter: string;
  header: string;
  hidden: boolean;
}
export type ImportPreset = 'un-xml' | 'ofac-sdn';
export type NotPublishedReason = 'dry-run' | 'no-entries' | 'same-as-active' | 'cancelled';
export interface ImportJobStatus {
  jobId: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  stage: 'reading' | 'publishing' | 'finished';
  /** 0..1 of the file read. */
  fraction: number;
  report: ImportReport | null;
  error: ApiError | null;
}

export type ProblemSeverity = 'error' | 'warning';
/** One problem found while importing: `row` is the row number the spreadsheet shows (1-based). */
export interface ImportProblem extends ReasonView {
  severity: ProblemSeverity;
  sheet: string;
  row: number;
  column: string | null;
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
  /** The import job (for its status and report export), or null. */
  jobId: string | null;
  preset: ImportPreset | null;
  /** Sheets in the workbook (one for csv). */
  sheets: string[];
  columns: ImportColumn[];
  /** Field -> zero-based column actually used. */
  columnMapping: Record<string, number>;
  /** Field -> zero-based column suggested from the headers. */
  suggestedMapping: Record<string, number>;
  mappingSource: 'suggested' | 'saved' | 'given' | 'preset';
  errors: number;
  warnings: number;
  /** Records skipped as not persons (entities, vessels, aircraft), by kind. */
  skipped: Record<string, number>;
  /** What was extracted, over all imported entries. */
  counts: { aliases: number; datesOfBirth: number; withNationality: number; passports: number; nationalIds: number };
  /** An earlier version of this list made from a byte-identical file (same SHA-256). */
  sameFileAs: { versionNumber: number; createdAt: string; state: VersionState; active: boolean } | null;
  /** Difference from the list's active version (by stable entry id). */
  diff: ImportDiff | null;
  /** The version waits for a second supervisor's approval. */
  pendingApproval: boolean;
  notPublished: NotPublishedReason | null;
  /** The first entries as they will be stored. */
  preview: EntryView[];
  /** The date the file gives for itself (ISO day), when one was found and believed. */
  sourceDate: string | null;
  /** How each date-of-birth column was read (order, compact dates, two-digit years) and why. */
  dateColumns?: ImportDateColumn[];
}

/** The reading rule of one date-of-birth column and what it was decided from (watchlists/date-columns.ts). */
export interface ImportDateColumn {
  sheet: string;
  /** Column letter and header, e.g. `D (Date of birth)`. */
  column: string;
  /** Day/month order used for numeric dates. */
  order: 'dmy' | 'mdy';
  /** given: the mapping set it; detected: the values told; conflict: both orders seen, the majority used; default: none told, day first; none: no numeric dates. */
  orderSource: 'given' | 'detected' | 'conflict' | 'default' | 'none';
  /** Dates with a number over 12 first (day first), second (month first), and ones that cannot tell. */
  dayFirst: number;
  monthFirst: number;
  undecided: number;
  /** First rows (as the sheet shows them) of a day-first and a month-first date. */
  dayFirstRow: number | null;
  monthFirstRow: number | null;
  /** Readings of the six- and eight-digit dates found (or given): the rule, why, values seen and how many fit it. */
  compact: { digits: 6 | 8; rule: string; source: 'given' | 'detected' | 'default' | 'mixed'; values: number; fitting: number }[];
  /** Two-digit years: `ce` 20YY unless after this year, else 19YY; `be` Buddhist Era 25YY by the same rule. */
  twoDigitYears: 'ce' | 'be';
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

export type TokenMatchKind = 'exact' | 'folded' | 'phonetic' | 'variant' | 'typo' | 'joined' | 'initial' | 'prefix';
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
  /** The check in English (CLI, exports); `reason` and `params` say the same as a code. */
  detail: string;
  reason: ReasonCode;
  params: ReasonParams;
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
  /** Who decided (username) and when (ISO); absent on hits that are not stored (batch screening). */
  decidedBy?: string | null;
  decidedAt?: string | null;
  /** The supervisor (username) who approved clearing this strong hit at the desk (four eyes). */
  approvedBy?: string | null;
  /** The earlier hit whose clearance this decision repeats (screening.applyPrevious). */
  repeatsHitId?: string | null;
  /** The same document cleared before against the same, unchanged entry: shown beside the hit, never hiding it. */
  previousClearance?: PreviousClearance | null;
  /** Clearing this hit needs a supervisor's approval (a strong hit on a list with ListView.clearanceApproval). */
  clearanceNeedsApproval?: boolean;
  /** The latest supervisor correction of the decision, with the decision as first made. */
  correction?: CorrectionView | null;
}

/** An earlier clearance (not the same person) of the same document against the same entry. */
export interface PreviousClearance {
  hitId: string;
  decision: Decision;
  /** Username of who decided, when (ISO), and why. */
  decidedBy: string;
  decidedAt: string;
  note: string | null;
}

/** A supervisor's correction of a hit's decision: the latest one, how many, and the decision first made. */
export interface CorrectionView {
  correctedBy: string;
  correctedAt: string;
  reason: string;
  count: number;
  original: { decision: Decision; note: string | null; decidedBy: string | null; decidedAt: string | null };
}

/** A corrected hit, and warnings such as a recorded crossing that contradicts the new decision. */
export interface HitCorrectionResult {
  hit: HitView;
  warnings: ReasonView[];
}

export interface ScreeningResult {
  screeningId: string;
  screenedAt: string;
  hits: HitView[];
  warnings: ReasonView[];
  lists: ScreenedList[];
  /** What the traveler's MRZ said, when one was given. */
  mrz: MrzView | null;
}

/**
 * A machine-readable zone as read (shared/mrz.ts MrzReading, without its lines), its warnings
 * (check-digit failures, each field named; corrections made; a cut name; expiry; specimen) as reasons.
 */
export type MrzView = Omit<MrzReading, 'lines' | 'failed' | 'warnings'> & { warnings: ReasonView[] };

/** A reason as it travels: its code, its parameters, and its English text (for the CLI, exports and logs). */
export interface ReasonView {
  reason: ReasonCode;
  params: ReasonParams;
  message: string;
}

/** A list as one screening saw it. */
export interface ScreenedList {
  listId: string;
  name: string;
  /** Number of the list's active version. */
  versionNumber: number;
  ageDays: number;
  /** What the age is counted from, the day or instant it is counted from, and the limit in force. */
  ageBasis: AgeBasis;
  ageSince: string;
  staleAfterDays: number;
  stale: boolean;
  /** Number of the version this screening was checked against (null: none yet). */
  screenedVersion: number | null;
  /** The active version is still being indexed ("version N loading"). */
  loading: boolean;
}

export interface BatchRow {
  row: number;
  id: string | null;
  name: string;
  hits: HitView[];
  /** What the row's MRZ said, when the traveler was screened from one. */
  mrz: MrzView | null;
}
export interface BatchResult {
  travelers: number;
  rows: BatchRow[];
  problems: ImportProblem[];
}
/** A batch screening job as its owner sees it (electron/core/batch.ts). */
export interface BatchJobStatus {
  jobId: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  fileName: string;
  /** Travelers screened so far (an MRZ row that could not be read counts as screened). */
  done: number;
  /** Travelers in the manifest; null while it is being read. */
  total: number | null;
  /** Once done, or cancelled (the travelers screened until then); null while running or failed. */
  result: BatchResult | null;
  error: ApiError | null;
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
    hitId: string;
    list: string;
    listKind: ListKind;
    entryId: string;
    score: number;
    band: Band;
    /** The current decision (after any correction). */
    decision: Decision;
    note: string | null;
    correction: CorrectionView | null;
    /** The entry's name as listed (its first name), and its warrant or case reference. */
    listedName: string;
    reference: string | null;
    /** Who made the current decision (username) and when (ISO); null while undecided. */
    decidedBy: string | null;
    decidedAt: string | null;
  }[];
  note: string | null;
  /** Personal data blanked by the retention purge. */
  purged: boolean;
  /** With a name search: how well the traveler's name matched it (0..1, the matcher's name score); else null. */
  match: number | null;
}

/** One crossing with everything about it (`crossings.get`). */
export interface CrossingDetail extends Omit<CrossingView, 'hits'> {
  /** When the traveler was screened (ISO) and the screening's id. */
  screenedAt: string;
  screeningId: string;
  /** Every hit as the desk shows it: listed entry (names, reference), score, band, explanation, decision, note, who and when, correction. */
  hits: HitView[];
  /** The list versions the screening was checked against. */
  listVersions: { listId: string; list: string; versionId: string; number: number }[];
}

/** An export job as its owner sees it (`exports.status`; electron/core/crossings/export-jobs.ts). */
export interface ExportJobStatus {
  jobId: string;
  kind: 'crossings' | 'audit';
  format: 'xlsx' | 'csv';
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Rows written so far, and in all (null until counted). */
  done: number;
  total: number | null;
  /** Once done: the file's name (the checkpoint's local date), rows, size in bytes and SHA-256. */
  fileName: string | null;
  rows: number | null;
  bytes: number | null;
  sha256: string | null;
  error: ApiError | null;
}

/** The supervisors' dashboard (`dashboard.get`; electron/core/crossings/dashboard.ts): counts over a range of local days. */
export interface DashboardView {
  from: string;
  to: string;
  timeZone: string;
  /** Per local day: travelers screened, hits found, crossings recorded, flagged crossings. */
  perDay: { day: string; screenings: number; hits: number; crossings: number; flagged: number }[];
  /** Per list: hits and their decisions. */
  byList: { listId: string; list: string; kind: ListKind; hits: number; confirmed: number; notSame: number; undecided: number }[];
  /** Per checkpoint (as recorded on each crossing): crossings and flagged crossings. */
  byCheckpoint: { checkpoint: string; crossings: number; flagged: number }[];
  /** Per direction: crossings and flagged crossings. */
  byDirection: { direction: Direction; crossings: number; flagged: number }[];
  /** Per list and band: decisions, which show whether a list's thresholds are right. */
  decisions: { listId: string; list: string; band: Band; confirmed: number; notSame: number; undecided: number }[];
  /** The entries hit most often (at most 20). */
  topEntries: { listId: string; list: string; entryId: string; listedName: string; reference: string | null; hits: number; confirmed: number }[];
  /** Per local day: crossings by outcome. */
  outcomes: ({ day: string } & Record<Outcome, number>)[];
  /**
   * Only on the dashboard counted at the centre (`central.dashboard`; electron/core/central/dashboard.ts):
   * 'department' when PostgreSQL gave this desk's login every checkpoint (an auditing desk),
   * 'checkpoint' when row-level security gave only its own. Days there are each crossing's local day
   * at its own checkpoint; `timeZone` is this desk's (it fixes "today" for the default range).
   */
  scope?: 'checkpoint' | 'department';
}

export interface ExportResult {
  fileName: string;
  /** The file's bytes; empty when the engine wrote the file itself (the CLI's --out). */
  contentBase64: string;
  sha256: string;
  rows: number;
}

export interface AuditVerifyResult {
  ok: boolean;
  rows: number;
  /** Last row of the chain in the database. */
  headSeq: number;
  headHash: string;
  /** The first row that is edited, inserted, deleted, out of order or missing; null when intact. */
  firstBrokenSeq: number | null;
  /** The chain head kept outside the database (`<db>.head`), null when missing. */
  externalHeadSeq: number | null;
  externalHeadHash: string | null;
  /** When the tail was truncated: the first missing row. */
  missingFrom: number | null;
  message: string;
  /** Rows signed by the key of the account that acted, trusted at that row (issue 15, signing keys). */
  signedRows: number;
  /** Rows written before the desk began signing (a migrated desk): chain-checked only. */
  unsignedLegacyRows: number;
  /** Rows the desk wrote unsigned for an account not signed in, or for nobody (failed sign-ins, lockouts): chained, proving no actor. */
  unsignedSystemRows: number;
  /** Fingerprint of the desk's root key (the setup admin's) as the trail names it; null before signing. */
  rootKey: string | null;
  /** Findings that do not break the trail (a recovery no recovery key could vouch for). */
  warnings: string[];
  /** With `audit.verify`'s `anchor`: the anchor read from the file and what the trail says of it. */
  anchor?: AnchorCheckView;
}

/**
 * The audit anchor every export and printed hit report carries (issue 15): where the trail stood
 * when the file was made, kept where an insider who rewrites the trail and its head file cannot
 * reach it. An export's anchor is the head just before the export's own audit row (that row holds
 * the file's SHA-256, so it cannot be in the file); a printed report's is its own `report.print` row.
 */
export interface AuditAnchorView {
  /** The last audit row the anchor covers. */
  seq: number;
  /** That row's hash (SHA-256, hex). */
  hash: string;
  /** Fingerprint of the desk's root signing key; null on a desk that does not sign yet. */
  root: string | null;
  /** When the file was made (ISO instant, UTC). */
  at: string;
}

/** An anchor read from a file by `audit.verify`, and what the trail says of it. */
export interface AnchorCheckView extends AuditAnchorView {
  /** Where it was read: an xlsx or csv export, or a backup's header. */
  source: 'xlsx' | 'csv' | 'backup';
  /** SHA-256 of the whole file given. */
  fileSha256: string;
  /** The audit row after the anchor that recorded this file (its SHA-256), or null when none does. */
  exportSeq: number | null;
  /** True when the trail still holds row `seq` with `hash`, under root `root`, and a row records the file. */
  ok: boolean;
}

/** A signing key the audit trail enrolled (issue 15): who holds it, its fingerprint and the rows it may sign. */
export interface SigningKeyView {
  userId: string;
  /** The account's current username, for display (the trail holds ids only). */
  username: string | null;
  /** First 128 bits of SHA-256 of the public key, 32 hex digits. */
  fingerprint: string;
  /** The raw Ed25519 public key, base64. */
  publicKey: string;
  /** The row that enrolled it. */
  enrolledAt: number;
  /** The first row it may no longer sign (account disabled, or its key replaced), null while valid. */
  revokedFrom: number | null;
  /** How it was enrolled: the desk's root (setup, or signing started), by an admin, by the account itself (an account from before signing), by recovery, by the department (an account record from the centre). */
  how: 'root' | 'admin' | 'legacy' | 'recovery' | 'department';
}

/** The desk's trusted signing keys: the root's fingerprint and every key enrolled, oldest first. */
export interface SigningKeysView {
  root: string | null;
  keys: SigningKeyView[];
}

/** An account as the admin screens show it. */
export interface UserAccountView extends UserView {
  disabled: boolean;
  createdAt: string;
  passwordChangedAt: string | null;
  /** Until when repeated failed sign-ins lock the account (ISO), or null. */
  lockedUntil: string | null;
  /** False when the account has no key slot for the current database key (it cannot unlock a locked desk). */
  hasKeySlot: boolean;
  /**
   * An account the department provisioned at the centre (issue 16), as this desk stands with it:
   * 'here' (it may sign in at this desk), 'elsewhere' (not assigned to this desk's checkpoint),
   * 'revoked' (the department revoked it); null for an account of this desk. Only the department's
   * administrator changes a department account.
   */
  department: 'here' | 'elsewhere' | 'revoked' | null;
}

export interface SettingsView {
  idleMinutes: number;
  /** 0 keeps personal data for ever. */
  retentionDays: number;
  lastPurgeAt: string | null;
  /** Days after which a list is stale, unless the list sets its own (`settings.setStaleLimit`). */
  staleDays: number;
  /** Hours without a completed sync after which a desk joined to a centre warns. */
  offlineLimitHours: number;
}

/** One audit row: ids and hashes only; `actorName` is the actor's current username, resolved for display. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subject: string | null;
  /** When the subject is an account: its current username, resolved for display. */
  subjectName: string | null;
  details: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export interface PurgeResult {
  /** Personal data older than this instant (ISO) was purged; null when retention is off. */
  cutoff: string | null;
  screenings: number;
  crossings: number;
  hits: number;
}

/** An instant as a report prints it: UTC (ISO) and the checkpoint's wall-clock time (`YYYY-MM-DD HH:MM:SS`). */
export interface LocalTime {
  utc: string;
  local: string;
}

/**
 * What a printed hit report holds, for handing a traveler over to the police: the traveler, the
 * list entry, the explanation, the decision and its officer, the list version, and the hash of the
 * decision's audit row. Times are given in the checkpoint's time zone (`timeZone`).
 */
export interface HitReport {
  checkpoint: string;
  timeZone: string;
  screeningId: string;
  screenedAt: LocalTime;
  /** The traveler as screened; null once retention purged it. */
  traveler: Traveler | null;
  hit: HitView;
  list: { id: string; name: string; kind: ListKind; versionId: string; versionNumber: number; fileSha256: string; importedAt: LocalTime; sourceDate: string | null };
  decision: { decision: Exclude<Decision, 'undecided'>; note: string | null; officer: string; decidedAt: LocalTime };
  /** The audit row that recorded the decision. */
  audit: { seq: number; hash: string };
  /** The audit head as of this report, its own `report.print` row included (issue 15). */
  anchor: AuditAnchorView;
  /** The crossing, once recorded. */
  crossing: { id: string; direction: Direction; outcome: Outcome; officer: string; occurredAt: LocalTime } | null;
  printedBy: string;
  printedAt: LocalTime;
}

export interface BackupResult {
  fileName: string;
  contentBase64: string;
  sha256: string;
  bytes: number;
  auditHeadSeq: number;
}

/**
 * Where this desk stands with the centre (issue 16). On a desk that never joined, `joined` is false
 * and everything else empty: the app shows nothing of the centre there.
 */
export interface CentralStatusView {
  joined: boolean;
  /** The desk's name and its checkpoint's at the centre. */
  deskName: string | null;
  checkpoint: string | null;
  /** A publishing desk (supervisors publish lists from it). */
  publisher: boolean;
  /** An auditing desk: its auditors and supervisors read every checkpoint's crossings (`central.crossings`). */
  auditor: boolean;
  /** The centre's address, never with its password. */
  url: string | null;
  /** Fingerprint of the department's root key pinned when the desk joined (32 hex digits). */
  rootFingerprint: string | null;
  /** The last sync that completed (ISO), and its parts. */
  lastSyncAt: string | null;
  lastPullAt: string | null;
  lastPushAt: string | null;
  /** Why the last sync failed (cleared by the next one that completes), or null. */
  lastError: ReasonView | null;
  /** Rows recorded here and not yet accepted by the centre, and when the oldest was recorded (ISO). */
  waiting: number;
  oldestWaiting: string | null;
  /** Hours without a completed sync after which the desk warns (`central.offlineLimitHours`, default 24). */
  offlineLimitHours: number;
  /** No completed sync for longer than the limit. */
  offline: boolean;
}

/** What one sync moved: lists pulled and applied, lists refused (and why), rows pushed, rows still waiting. */
export interface SyncResultView {
  /** When it completed (ISO). */
  at: string;
  pulled: number;
  refused: number;
  pushed: number;
  waiting: number;
  lists: { listId: string; listName: string; seq: number; versionId: string | null; entries: number }[];
  refusals: { listId: string; seq: number; reason: ReasonView }[];
  /** Account revocations the department signed that this sync applied on the desk (central/accounts.ts). */
  accountsRevoked?: number;
  /** Account records of the department (created, moved, re-roled, disabled, reset) this sync applied on the desk (central/accounts.ts). */
  accountsProvisioned?: number;
  /** Department accounts not applied because an account of this desk holds the same username. */
  accountsConflicting?: number;
  /** Department account records and revocations at the centre ignored: not signed by the department's root key, or malformed (forged). */
  accountsIgnored?: number;
  /** Rows the centre accepted, by kind. */
  sent: { crossings: number; hits: number; hitEvents: number; audit: number; users: number };
}

/** A publication (or retirement) made at the centre. */
export interface PublicationResultView {
  listId: string;
  listName: string;
  action: 'publish' | 'retire';
  /** The list's publication sequence number at the centre (only increases). */
  seq: number;
  versionId: string | null;
  versionNumber: number | null;
  entries: number;
  /** Fingerprint of the key that signed it. */
  signer: string;
}

/** A hit of a crossing as the centre holds it, with its latest decision (`central.crossings`). */
export interface CentralHitView {
  hitId: string;
  /** The list's id and name as the desk recorded them (null when the desk had no entry snapshot). */
  listId: string | null;
  list: string | null;
  /** The list's own id of the entry (its external id, as the desk's hit shows it); the desk's internal entry id only when the desk sent no entry snapshot. */
  entryId: string;
  /** The desk's internal entry id (a UUID), for joining with the desk's or the centre's entry rows; not for people. */
  entryKey: string;
  /** The listed person's name and the list's reference (warrant, case) as the desk had them; null once purged. */
  listedName: string | null;
  reference: string | null;
  score: number;
  band: Band;
  /** The latest decision: a later decision or correction (hit event) replaces the one pushed with the crossing. */
  decision: Decision;
  /** Who made that decision (username as its desk knows it; null when unknown here) and when (ISO). */
  decidedBy: string | null;
  decidedAt: string | null;
}

/** A crossing as the centre holds it (`central.crossings`). Personal columns blanked by the centre's purge come back null. */
export interface CentralCrossingView {
  id: string;
  /** When it happened (ISO, UTC) and the time zone of its checkpoint. */
  occurredAt: string;
  timeZone: string;
  checkpoint: string;
  /** The desk that recorded it; null when this desk may not see that desk's row (another desk of its checkpoint). */
  desk: string | null;
  direction: Direction;
  outcome: Outcome;
  officer: string | null;
  travelerName: string | null;
  traveler: Traveler | null;
  flagged: boolean;
  note: string | null;
  /** Personal data blanked by the centre's purge. */
  purged: boolean;
  hits: CentralHitView[];
}

/** One page of the department's crossings. */
export interface CentralCrossingsResult {
  /** 'department': every checkpoint's (an auditing desk); 'checkpoint': the centre gave only this desk's checkpoint's. */
  scope: 'checkpoint' | 'department';
  total: number;
  offset: number;
  limit: number;
  crossings: CentralCrossingView[];
  /** Checkpoint names the filter may name (with scope 'checkpoint', only the desk's own). */
  checkpoints: string[];
}

/** Response type of each method. */
export interface ApiResults {
  'app.status': AppStatus;
  'app.setup': SessionView;
  'auth.signIn': SessionView;
  'auth.signOut': { ok: true };
  'watchlists.list': ListView[];
  'watchlists.import': ImportReport;
  'watchlists.importStart': { jobId: string };
  'watchlists.importStatus': ImportJobStatus;
  'watchlists.importCancel': { ok: true };
  'watchlists.exportReport': ExportResult;
  'watchlists.versions': ListVersionDetail[];
  'watchlists.rollback': ListView;
  'watchlists.approve': ListView;
  'watchlists.reject': { ok: true };
  'watchlists.setApproval': ListView;
  'watchlists.setClearanceApproval': ListView;
  'watchlists.rename': ListView;
  'watchlists.setKind': ListView;
  'watchlists.retire': ListView;
  'watchlists.reactivate': ListView;
  'watchlists.setSettings': ListView;
  'watchlists.entries': { total: number; entries: EntryView[] };
  'screening.screen': ScreeningResult;
  'screening.batch': BatchResult;
  'screening.batchStart': { jobId: string };
  'screening.batchStatus': BatchJobStatus;
  'screening.batchCancel': { ok: true };
  'screening.batchDiscard': { ok: true };
  'screening.batchExport': ExportResult;
  'screening.decide': HitView;
  'screening.applyPrevious': HitView;
  'screening.correct': HitCorrectionResult;
  'screening.report': HitReport;
  'crossings.record': CrossingView;
  'crossings.list': { total: number; offset: number; limit: number; crossings: CrossingView[] };
  'crossings.get': CrossingDetail;
  'crossings.export': ExportResult;
  'crossings.exportStart': { jobId: string };
  'audit.exportStart': { jobId: string };
  'exports.status': ExportJobStatus;
  'exports.cancel': { ok: true };
  'exports.take': ExportResult;
  'dashboard.get': DashboardView;
  'dashboard.export': ExportResult;
  'audit.verify': AuditVerifyResult;
  'audit.keys': SigningKeysView;
  'auth.changePassword': { ok: true };
  'auth.recover': SessionView;
  'users.list': UserAccountView[];
  'users.create': UserAccountView;
  'users.update': UserAccountView;
  'users.resetPassword': UserAccountView;
  'settings.get': SettingsView;
  'settings.update': SettingsView;
  'settings.setStaleLimit': SettingsView;
  'audit.list': { total: number; entries: AuditEntryView[]; actions: string[] };
  'retention.purge': PurgeResult;
  'keys.rotate': { keyId: string; previousKeyId: string };
  'backup.create': BackupResult;
  'backup.restore': SessionView;
  'central.status': CentralStatusView;
  'central.sync': SyncResultView;
  'central.publish': PublicationResultView;
  'central.retire': PublicationResultView;
  'central.crossings': CentralCrossingsResult;
  'central.crossingsExport': ExportResult & { scope: 'checkpoint' | 'department' };
  'central.dashboard': DashboardView;
  'central.dashboardExport': ExportResult & { scope: 'checkpoint' | 'department' };
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
  'busy',
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
  /** The reason's English text; safe to show: never holds personal data or internals. */
  message: string;
  /** The stable reason code (reasons.ts) and its parameters: what the UI shows, in its language. */
  reason: ReasonCode;
  params: ReasonParams;
  /** Field-level problems for `invalid_request`. */
  issues?: (ReasonView & { path: string })[];
}

export type ApiResponse<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };

