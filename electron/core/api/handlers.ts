/**
 * The handler table: one function per API method, given a validated request and the caller's
 * context. Session and role checks happen before these run (engine.ts).
 */
import { createHash } from 'node:crypto';
import type { ApiParsed, ApiMethod, ApiResults } from '../../../shared/contract';
import { appendAudit, listAudit, readHeadFile, signingKeysView, verifyAudit } from '../audit';
import { auditAnchor, checkAnchor } from '../anchor';
import { readAnchor } from '../reader';
import { batchFile, batchFileName } from '../batch';
import { localDayBoundaryUtc } from '../time';
import { recordCrossing, screenManifest, screenTraveler } from '../screening';
import { crossingDetail, listCrossings, searchAudit, type CrossingsContext } from '../crossings/query';
import { applyPreviousDecision, correctHit, decideHit } from '../decisions';
import type { ImportJobInput } from '../watchlists/jobs';
import { reportWorkbook } from '../watchlists/report';
import { listEntries, listLists, setCheckpointStaleDays } from '../watchlists/store';
import { hitReport } from '../report';
import { setListSafeguard, setListSettings } from '../watchlists/settings';
import { changeList, type ListChange } from '../watchlists/lifecycle';
import { approveVersion, listVersions, rejectVersion, rollbackVersion } from '../watchlists/versions';
import type { HandlerContext } from './engine';
import { changePassword, createUser, listUsers, resetPassword, updateUser } from './users';
import { BadInputError, ConflictError } from '../errors';
import { centralStatus, publishAtCentre, syncDesk } from '../central/sync';
import { auditedFilter, browseAtCentre, exportFromCentre } from '../central/browse';
import { dashboardFileName, dashboardWorkbook } from '../crossings/dashboard';
import { centralDashboardFileName, dashboardAtCentre } from '../central/dashboard';
import { auditExportInput, crossingsExportInput } from '../crossings/export-jobs';
import { reason } from '../../../shared/reasons';

type Handlers = { [M in ApiMethod]: (ctx: HandlerContext, p: ApiParsed<M>) => ApiResults[M] | Promise<ApiResults[M]> };

function actor(ctx: HandlerContext): string {
  return ctx.session!.user.id;
}

function checkpoint(ctx: HandlerContext): { name: string; timeZone: string } {
  return { name: ctx.engine.setting('checkpoint.name') ?? '', timeZone: ctx.engine.setting('checkpoint.timeZone') ?? 'UTC' };
}

/** Who asks and where (crossings/query.ts): the signed-in account and its roles, the checkpoint's name and time zone, now. */
function crossingsContext(ctx: HandlerContext): CrossingsContext {
  const { name, timeZone } = checkpoint(ctx);
  return { viewer: { userId: ctx.session!.user.id, roles: ctx.session!.user.roles }, timeZone, checkpoint: name, now: ctx.engine.now() };
}

/** Hands out the caller's finished export once: written to the CLI's --out first where there is one, then audited (Engine.deliver). */
function takeExport(ctx: HandlerContext, jobId: string) {
  return ctx.engine.exports.take(jobId, actor(ctx), (event, content) => ctx.engine.deliver(actor(ctx), event, content));
}

function importDeps(ctx: HandlerContext) {
  return { db: ctx.engine.requireDb(), actorId: actor(ctx), now: () => ctx.engine.now(), onPublished: () => ctx.engine.invalidateIndex() };
}

function importInput(p: ApiParsed<'watchlists.import'>): ImportJobInput {
  return {
    listName: p.listName, kind: p.kind, sheet: p.sheet, mapping: p.mapping, dryRun: p.dryRun, dateOrder: p.dateOrder, compactDates: p.compactDates,
    files: [{ fileName: p.fileName, contentBase64: p.contentBase64 }, ...(p.extraFiles ?? [])].map((f) => ({
      fileName: f.fileName, content: Buffer.from(f.contentBase64, 'base64'),
    })),
  };
}

/**
 * A list's lifecycle change (watchlists/lifecycle.ts), then the list as it is now. A retirement
 * answers no screening from the next query (the screener plans from the lists as they are); the
 * index is rebuilt without its entries, and after a reactivation with them.
 */
async function lifecycle(ctx: HandlerContext, listId: string, change: ListChange, approval: ApiParsed<'watchlists.retire'>['approval']) {
  await changeList(ctx.engine.desk(), actor(ctx), listId, change, approval);
  if (change.action === 'retire' || change.action === 'reactivate') ctx.engine.invalidateIndex();
  return listView(ctx, listId);
}

function listView(ctx: HandlerContext, listId: string) {
  const l = listLists(ctx.engine.requireDb(), ctx.engine.now()).find((x) => x.id === listId);
  if (!l) throw new BadInputError(reason('list.notFound'));
  return l;
}

export const HANDLERS: Handlers = {
  'app.status': (ctx) => {
    const open = ctx.engine.initialized && ctx.session !== null;
    return {
      initialized: ctx.engine.initialized,
      checkpointName: open ? ctx.engine.setting('checkpoint.name') : null,
      timeZone: open ? ctx.engine.setting('checkpoint.timeZone') : null,
      idleMinutes: Math.round(ctx.engine.idleTimeoutMs() / 60_000),
      user: ctx.session?.user ?? null,
      index: open ? (({ ready, progress, entries }) => ({ ready, progress, entries }))(ctx.engine.indexStatus()) : null,
    };
  },
  'app.setup': (ctx, p) => ctx.engine.setup(p),
  'auth.signIn': (ctx, p) => ctx.engine.signIn(p.username, p.password),
  'auth.signOut': (ctx) => {
    ctx.engine.signOut(ctx.token);
    return { ok: true };
  },
  'watchlists.list': (ctx) => listLists(ctx.engine.requireDb(), ctx.engine.now()),
  'watchlists.import': async (ctx, p) => ctx.engine.jobs.start(importDeps(ctx), importInput(p)).done,
  'watchlists.importStart': (ctx, p) => ({ jobId: ctx.engine.jobs.start(importDeps(ctx), importInput(p)).id }),
  'watchlists.importStatus': (ctx, p) => ctx.engine.jobs.get(p.jobId).status(),
  'watchlists.importCancel': (ctx, p) => {
    ctx.engine.jobs.cancel(p.jobId);
    return { ok: true };
  },
  'watchlists.exportReport': (ctx, p) => {
    ctx.engine.requireDb();
    const job = ctx.engine.jobs.get(p.jobId);
    if (!job.report) throw new BadInputError(reason('import.noReport'));
    // The audit anchor: the head just before this export's own row (anchor.ts).
    const content = reportWorkbook(job, auditAnchor(ctx.engine.requireDb(), ctx.engine.now()));
    const sha256 = createHash('sha256').update(content).digest('hex');
    // Written to the CLI's --out first where there is one, then audited (Engine.deliver).
    ctx.engine.deliver(actor(ctx), { action: 'export.importReport', subject: job.report.versionId, details: { sha256, fileSha256: job.report.sha256, problems: job.report.problems.length } }, content);
    const base = job.report.fileName.replace(/\.[^.]+$/, '').replace(/[^\p{L}\p{N}_-]+/gu, '-').slice(0, 60);
    return { fileName: `import-report-${base}.xlsx`, contentBase64: content.toString('base64'), sha256, rows: job.report.problems.length };
  },
  'watchlists.versions': (ctx, p) => listVersions(ctx.engine.requireDb(), p.listId),
  'watchlists.rollback': async (ctx, p) => {
    const from = listView(ctx, p.listId).activeVersion?.id;
    await rollbackVersion(ctx.engine.desk(), actor(ctx), p.listId, p.versionId, p.approval);
    ctx.engine.invalidateIndex(from);
    return listView(ctx, p.listId);
  },
  'watchlists.approve': (ctx, p) => {
    const listId = approveVersion(ctx.engine.requireDb(), actor(ctx), p.versionId, ctx.engine.now());
    ctx.engine.invalidateIndex();
    return listView(ctx, listId);
  },
  'watchlists.reject': (ctx, p) => {
    rejectVersion(ctx.engine.requireDb(), actor(ctx), p.versionId, ctx.engine.now());
    return { ok: true };
  },
  'watchlists.setApproval': async (ctx, p) => {
    await setListSafeguard(ctx.engine.desk(), actor(ctx), p.listId, 'requireApproval', p.requireApproval, p.approval);
    return listView(ctx, p.listId);
  },
  'watchlists.setClearanceApproval': async (ctx, p) => {
    await setListSafeguard(ctx.engine.desk(), actor(ctx), p.listId, 'clearanceApproval', p.required, p.approval);
    return listView(ctx, p.listId);
  },
  'watchlists.rename': (ctx, p) => lifecycle(ctx, p.listId, { action: 'rename', name: p.name }, p.approval),
  'watchlists.setKind': (ctx, p) => lifecycle(ctx, p.listId, { action: 'kind', kind: p.kind }, p.approval),
  'watchlists.retire': (ctx, p) => lifecycle(ctx, p.listId, { action: 'retire' }, p.approval),
  'watchlists.reactivate': (ctx, p) => lifecycle(ctx, p.listId, { action: 'reactivate' }, p.approval),
  'watchlists.setSettings': (ctx, p) => {
    setListSettings(ctx.engine.requireDb(), actor(ctx), p.listId, { thresholds: p.thresholds, actionText: p.actionText, staleDays: p.staleDays }, ctx.engine.now());
    // The screener reads each list's bands and action text at every screening: the index stays.
    return listView(ctx, p.listId);
  },
  'watchlists.entries': (ctx, p) => listEntries(ctx.engine.requireDb(), p.listId, p.offset, p.limit),
  'screening.screen': (ctx, p) =>
    screenTraveler(() => ctx.engine.requireDb(), ctx.engine.getScreener(), actor(ctx), p.traveler, p.top ?? 10, ctx.engine.now()),
  'screening.batch': async (ctx, p) => {
    const content = Buffer.from(p.contentBase64, 'base64');
    const result = await screenManifest(ctx.engine.getScreener(), content, p.fileName, p.top, p.minScore);
    appendAudit(ctx.engine.requireDb(), {
      actorId: actor(ctx), action: 'screening.batch',
      details: { sha256: createHash('sha256').update(content).digest('hex'), travelers: result.travelers },
    }, ctx.engine.now());
    return result;
  },
  'screening.batchStart': (ctx, p) => {
    const deps = { screener: ctx.engine.getScreener(), db: () => ctx.engine.requireDb(), actorId: actor(ctx), now: () => ctx.engine.now(), log: ctx.engine.opts.log };
    const input = { fileName: p.fileName, content: Buffer.from(p.contentBase64, 'base64'), top: p.top, minScore: p.minScore };
    return { jobId: ctx.engine.batches.start(deps, input).id };
  },
  'screening.batchStatus': (ctx, p) => ctx.engine.batches.get(p.jobId, actor(ctx)).status(),
  'screening.batchCancel': (ctx, p) => {
    ctx.engine.batches.cancel(p.jobId, actor(ctx));
    return { ok: true };
  },
  'screening.batchDiscard': (ctx, p) => {
    ctx.engine.batches.discard(p.jobId, actor(ctx));
    return { ok: true };
  },
  'screening.batchExport': (ctx, p) => {
    const job = ctx.engine.batches.get(p.jobId, actor(ctx));
    if (!job.result) throw new ConflictError(reason('batch.noResult'));
    // The audit anchor: the head just before this export's own row (anchor.ts).
    const { content, rows } = batchFile(job.result, p.format, p.withHitsOnly, auditAnchor(ctx.engine.requireDb(), ctx.engine.now()));
    const sha256 = createHash('sha256').update(content).digest('hex');
    appendAudit(ctx.engine.requireDb(), {
      actorId: actor(ctx), action: 'export.batch', subject: job.id, details: { sha256, rows, format: p.format, withHitsOnly: p.withHitsOnly, state: job.state },
    }, ctx.engine.now());
    return { fileName: batchFileName(job, p.format, ctx.engine.now(), checkpoint(ctx).timeZone), contentBase64: content.toString('base64'), sha256, rows };
  },
  'screening.report': (ctx, p) => hitReport(ctx.engine.requireDb(), actor(ctx), p.hitId, checkpoint(ctx), ctx.engine.now()),
  'screening.decide': (ctx, p) => decideHit(ctx.engine.desk(), actor(ctx), p.hitId, p.decision, p.note, p.approval),
  'screening.applyPrevious': (ctx, p) => applyPreviousDecision(ctx.engine.desk(), actor(ctx), p.hitId, p.approval),
  'screening.correct': (ctx, p) => correctHit(ctx.engine.requireDb(), actor(ctx), p.hitId, p.decision, p.reason, ctx.engine.now()),
  'crossings.record': (ctx, p) =>
    recordCrossing(ctx.engine.requireDb(), actor(ctx), p.screeningId, p.direction, p.outcome, p.note, checkpoint(ctx), ctx.engine.now()),
  'crossings.list': (ctx, p) => {
    const { sort, order, offset, limit, ...filter } = p;
    const db = ctx.engine.requireDb();
    // No sort asked: newest first, or best match first with a name search.
    const page = { sort: sort ?? (filter.name?.trim() ? 'match' as const : 'time' as const), order, offset, limit };
    const r = listCrossings(db, filter, page, crossingsContext(ctx));
    // A search by name or document is audited with what it showed (ids and a hash, never the text).
    const search = searchAudit(filter);
    if (search) {
      appendAudit(db, {
        actorId: actor(ctx), action: 'crossings.search', details: { ...search, total: r.total, shown: r.crossings.map((c) => c.id) },
      }, ctx.engine.now());
    }
    return r;
  },
  'crossings.get': (ctx, p) => {
    const db = ctx.engine.requireDb();
    const detail = crossingDetail(db, p.id, crossingsContext(ctx));
    // Who looked at this person (PDPA).
    appendAudit(db, { actorId: actor(ctx), action: 'crossing.view', subject: detail.id, details: {} }, ctx.engine.now());
    return detail;
  },
  // Exports as jobs (crossings/export-jobs.ts): read and written by workers over their own
  // connection (a large export delays no other call), handed out once and audited then.
  'crossings.export': async (ctx, p) => {
    const job = ctx.engine.startExport(actor(ctx), crossingsExportInput(p, crossingsContext(ctx)));
    await job.settled;
    return takeExport(ctx, job.id);
  },
  'crossings.exportStart': (ctx, p) => ({ jobId: ctx.engine.startExport(actor(ctx), crossingsExportInput(p, crossingsContext(ctx))).id }),
  'audit.exportStart': (ctx, p) => ({ jobId: ctx.engine.startExport(actor(ctx), auditExportInput(p, checkpoint(ctx).timeZone, ctx.engine.now())).id }),
  'exports.status': (ctx, p) => ctx.engine.exports.get(p.jobId, actor(ctx)).status(),
  'exports.cancel': (ctx, p) => {
    ctx.engine.exports.cancel(p.jobId, actor(ctx));
    return { ok: true };
  },
  'exports.take': (ctx, p) => takeExport(ctx, p.jobId),
  // The supervisors' dashboard (crossings/dashboard.ts): local days in the checkpoint's time zone.
  // Counted in the reader worker (a long range delays no screening).
  'dashboard.get': (ctx, p) => ctx.engine.dashboard(p, checkpoint(ctx).timeZone),
  'dashboard.export': async (ctx, p) => {
    const db = ctx.engine.requireDb();
    const view = await ctx.engine.dashboard(p, checkpoint(ctx).timeZone);
    // The audit anchor: the head just before this export's own row (anchor.ts).
    const { content, rows } = await dashboardWorkbook(view, p.lang, auditAnchor(db, ctx.engine.now()));
    const sha256 = createHash('sha256').update(content).digest('hex');
    // Written to the CLI's --out first where there is one, then audited (Engine.deliver).
    ctx.engine.deliver(actor(ctx), { action: 'export.dashboard', details: { sha256, from: view.from, to: view.to, lang: p.lang } }, content);
    return { fileName: dashboardFileName(view), contentBase64: content.toString('base64'), sha256, rows };
  },
  'audit.verify': async (ctx, p) => {
    // With an anchor (an export's or a backup's, anchor.ts): read first (an xlsx in the reader worker),
    // then the trail verified with the anchor's root as the expected root, and the anchor checked.
    const read = p.anchor ? await readAnchor(Buffer.from(p.anchor.contentBase64, 'base64'), p.anchor.fileName) : null;
    const r = read
      ? checkAnchor(ctx.engine.requireDb(), read, verifyAudit(ctx.engine.requireDb(), readHeadFile(ctx.engine.opts.dbPath), read.anchor.root ?? undefined))
      : ctx.engine.verifyAudit();
    appendAudit(ctx.engine.requireDb(), {
      actorId: actor(ctx), action: 'audit.verify', details: {
        ok: r.ok, rows: r.rows, firstBrokenSeq: r.firstBrokenSeq,
        ...(read ? { anchorSeq: read.anchor.seq, anchorFileSha256: read.fileSha256, anchorOk: r.anchor?.ok ?? false } : {}),
      },
    }, ctx.engine.now());
    return r;
  },
  'audit.keys': (ctx) => signingKeysView(ctx.engine.requireDb()),
  'auth.changePassword': async (ctx, p) => {
    await changePassword(ctx.engine.desk(), ctx.session!, p.currentPassword, p.newPassword);
    return { ok: true };
  },
  'auth.recover': (ctx, p) => ctx.engine.recover(p.username, p.recoveryPassphrase, p.newPassword),
  'users.list': (ctx) => listUsers(ctx.engine.desk()),
  'users.create': (ctx, p) => createUser(ctx.engine.desk(), actor(ctx), p),
  'users.update': (ctx, p) => updateUser(ctx.engine.desk(), actor(ctx), p),
  'users.resetPassword': (ctx, p) => resetPassword(ctx.engine.desk(), actor(ctx), p.userId, p.password),
  'settings.get': (ctx) => ctx.engine.settings(),
  'settings.update': (ctx, p) => ctx.engine.updateSettings(actor(ctx), p),
  'settings.setStaleLimit': (ctx, p) => {
    setCheckpointStaleDays(ctx.engine.requireDb(), actor(ctx), p.staleDays, ctx.engine.now());
    return ctx.engine.settings();
  },
  'audit.list': (ctx, p) => {
    const tz = checkpoint(ctx).timeZone;
    return listAudit(ctx.engine.requireDb(), {
      action: p.action, actorId: p.actorId, subject: p.subject, offset: p.offset, limit: p.limit,
      from: p.from ? localDayBoundaryUtc(p.from, tz) : undefined,
      to: p.to ? localDayBoundaryUtc(p.to, tz, true) : undefined,
    });
  },
  'retention.purge': (ctx) => ctx.engine.purge(actor(ctx)),
  'keys.rotate': (ctx, p) => ctx.engine.rotateKey(ctx.session!, p.password, p.recoveryPassphrase),
  'backup.create': (ctx, p) => ctx.engine.createBackup(actor(ctx), p.recoveryPassphrase),
  'backup.restore': (ctx, p) => ctx.engine.restoreBackup(Buffer.from(p.contentBase64, 'base64'), p.recoveryPassphrase, p.username, p.newPassword),
  // The centre (issue 16): lists applied by a pull go into a new match index built beside the one answering.
  'central.status': (ctx) => centralStatus(ctx.engine.requireDb(), ctx.engine.now()),
  'central.sync': (ctx, p) => syncDesk({
    db: ctx.engine.requireDb(), dbPath: ctx.engine.opts.dbPath, actorId: actor(ctx), now: () => ctx.engine.now(),
    onPublished: (withdrawn) => {
      if (!withdrawn.length) ctx.engine.invalidateIndex();
      for (const v of withdrawn) ctx.engine.invalidateIndex(v);
    },
    url: p.url, log: ctx.engine.opts.log,
    // An account the department revoked (central/accounts.ts): its open sessions on this desk end.
    onAccountRevoked: (userId) => {
      for (const s of [...ctx.engine.desk().sessions.values()]) if (s.user.id === userId) ctx.engine.signOut(s.token);
    },
  }),
  'central.publish': (ctx, p) => publishAtCentre({ db: ctx.engine.requireDb(), dbPath: ctx.engine.opts.dbPath, actorId: actor(ctx), now: () => ctx.engine.now() }, p.listId, 'publish'),
  'central.retire': (ctx, p) => publishAtCentre({ db: ctx.engine.requireDb(), dbPath: ctx.engine.opts.dbPath, actorId: actor(ctx), now: () => ctx.engine.now() }, p.listId, 'retire'),
  // Department-wide reading (browse.ts): the scope is the one PostgreSQL gives this desk's login.
  'central.crossings': (ctx, p) => {
    const { offset, limit, ...filter } = p;
    return browseAtCentre({ db: ctx.engine.requireDb(), actorId: actor(ctx), now: () => ctx.engine.now() }, filter, { offset, limit });
  },
  'central.crossingsExport': async (ctx, p) => {
    const { format, ...filter } = p;
    const r = await exportFromCentre({ db: ctx.engine.requireDb(), actorId: actor(ctx), now: () => ctx.engine.now() }, filter, format);
    // Written to the CLI's --out first where there is one, then audited (Engine.deliver).
    ctx.engine.deliver(actor(ctx), {
      action: 'export.centralCrossings',
      details: { sha256: r.sha256, rows: r.rows, format, scope: r.scope, filter: auditedFilter(filter) },
    }, r.content);
    return { fileName: r.fileName, contentBase64: r.content.toString('base64'), sha256: r.sha256, rows: r.rows, scope: r.scope };
  },
  // The dashboard counted at the centre (central/dashboard.ts): the scope is the one PostgreSQL gives this desk's login.
  'central.dashboard': (ctx, p) => dashboardAtCentre({ db: ctx.engine.requireDb(), timeZone: checkpoint(ctx).timeZone, now: () => ctx.engine.now() }, p),
  'central.dashboardExport': async (ctx, p) => {
    const db = ctx.engine.requireDb();
    const view = await dashboardAtCentre({ db, timeZone: checkpoint(ctx).timeZone, now: () => ctx.engine.now() }, { from: p.from, to: p.to });
    const scope = view.scope ?? 'checkpoint';
    // The audit anchor: the head just before this export's own row (anchor.ts).
    const { content, rows } = await dashboardWorkbook(view, p.lang, auditAnchor(db, ctx.engine.now()));
    const sha256 = createHash('sha256').update(content).digest('hex');
    // Written to the CLI's --out first where there is one, then audited (Engine.deliver).
    ctx.engine.deliver(actor(ctx), { action: 'export.centralDashboard', details: { sha256, from: view.from, to: view.to, lang: p.lang, scope } }, content);
    return { fileName: centralDashboardFileName(view), contentBase64: content.toString('base64'), sha256, rows, scope };
  },
};
