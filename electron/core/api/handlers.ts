/**
 * The handler table: one function per API method, given a validated request and the caller's
 * context. Session and role checks happen before these run (engine.ts).
 */
import { createHash } from 'node:crypto';
import type { ApiParsed, ApiMethod, ApiResults } from '../../../shared/contract';
import { appendAudit, verifyAudit } from '../audit';
import { decideHit, getCrossings, recordCrossing, screenManifest, screenTraveler } from '../screening';
import { writeTables, type CellValue } from '../spreadsheet/write';
import { importList, listEntries, listLists } from '../watchlists/store';
import type { HandlerContext } from './engine';

type Handlers = { [M in ApiMethod]: (ctx: HandlerContext, p: ApiParsed<M>) => ApiResults[M] | Promise<ApiResults[M]> };

function actor(ctx: HandlerContext): string {
  return ctx.session!.user.id;
}

function checkpoint(ctx: HandlerContext): { name: string; timeZone: string } {
  return { name: ctx.engine.setting('checkpoint.name') ?? '', timeZone: ctx.engine.setting('checkpoint.timeZone') ?? 'UTC' };
}

function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

export const HANDLERS: Handlers = {
  'app.status': (ctx) => {
    const open = ctx.engine.initialized && ctx.session !== null;
    return {
      initialized: ctx.engine.initialized,
      checkpointName: open ? ctx.engine.setting('checkpoint.name') : null,
      timeZone: open ? ctx.engine.setting('checkpoint.timeZone') : null,
      user: ctx.session?.user ?? null,
    };
  },
  'app.setup': (ctx, p) => ctx.engine.setup(p),
  'auth.signIn': (ctx, p) => ctx.engine.signIn(p.username, p.password),
  'auth.signOut': (ctx) => {
    ctx.engine.signOut(ctx.token);
    return { ok: true };
  },
  'watchlists.list': (ctx) => listLists(ctx.engine.requireDb(), ctx.engine.now()),
  'watchlists.import': (ctx, p) => {
    const report = importList(ctx.engine.requireDb(), actor(ctx), {
      listName: p.listName, kind: p.kind, fileName: p.fileName, content: Buffer.from(p.contentBase64, 'base64'),
      sheet: p.sheet, mapping: p.mapping, dryRun: p.dryRun,
    }, ctx.engine.now());
    if (report.published) ctx.engine.invalidateIndex();
    return report;
  },
  'watchlists.entries': (ctx, p) => listEntries(ctx.engine.requireDb(), p.listId, p.offset, p.limit),
  'screening.screen': (ctx, p) =>
    screenTraveler(ctx.engine.requireDb(), ctx.engine.getScreener(), actor(ctx), p.traveler, p.top ?? 10, ctx.engine.now()),
  'screening.batch': (ctx, p) => {
    const content = Buffer.from(p.contentBase64, 'base64');
    const result = screenManifest(ctx.engine.getScreener(), content, p.fileName, p.top, p.minScore);
    appendAudit(ctx.engine.requireDb(), {
      actorId: actor(ctx), action: 'screening.batch',
      details: { sha256: createHash('sha256').update(content).digest('hex'), travelers: result.travelers },
    }, ctx.engine.now());
    return result;
  },
  'screening.decide': (ctx, p) => decideHit(ctx.engine.requireDb(), actor(ctx), p.hitId, p.decision, p.note, ctx.engine.now()),
  'crossings.record': (ctx, p) =>
    recordCrossing(ctx.engine.requireDb(), actor(ctx), p.screeningId, p.direction, p.outcome, p.note, checkpoint(ctx), ctx.engine.now()),
  'crossings.list': (ctx, p) => getCrossings(ctx.engine.requireDb(), { ...p, timeZone: checkpoint(ctx).timeZone }),
  'crossings.export': (ctx, p) => {
    const db = ctx.engine.requireDb();
    const { crossings } = getCrossings(db, { flaggedOnly: p.flaggedOnly, from: p.from, to: p.to, timeZone: checkpoint(ctx).timeZone, limit: 1_000_000 });
    const header = [
      'Crossing ID', 'Time (UTC)', 'Local time', 'Time zone', 'Checkpoint', 'Direction', 'Outcome', 'Officer', 'Traveler',
      'Date of birth', 'Sex', 'Nationality', 'Document', 'Document issuer', 'Flagged', 'Hits', 'Top score', 'Decisions', 'Note',
    ];
    const rows: CellValue[][] = crossings.map((c) => [
      c.id, c.occurredAt, localTime(c.occurredAt, c.timeZone), c.timeZone, c.checkpoint, c.direction, c.outcome, c.officer,
      c.travelerName, c.traveler.dateOfBirth ?? '', c.traveler.sex ?? '', c.traveler.nationality ?? '',
      c.traveler.documentNumber ?? '', c.traveler.documentIssuer ?? '', c.flagged ? 'yes' : 'no',
      c.hits.map((h) => `${h.list}:${h.entryId} ${h.score.toFixed(2)} ${h.band}`).join('; '),
      c.hits[0]?.score ?? null,
      c.hits.map((h) => `${h.list}:${h.entryId} ${h.decision}${h.note ? ` (${h.note})` : ''}`).join('; '),
      c.note ?? '',
    ]);
    const content = writeTables([{ sheet: p.flaggedOnly ? 'Flagged crossings' : 'Crossings', header, rows }], p.format);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const stamp = ctx.engine.now().toISOString().slice(0, 10);
    const fileName = `watchdesk-${p.flaggedOnly ? 'flagged-' : ''}crossings-${stamp}.${p.format}`;
    appendAudit(db, {
      actorId: actor(ctx), action: 'export.crossings',
      details: { sha256, rows: rows.length, format: p.format, flaggedOnly: p.flaggedOnly, from: p.from ?? null, to: p.to ?? null },
    }, ctx.engine.now());
    return { fileName, contentBase64: content.toString('base64'), sha256, rows: rows.length };
  },
  'audit.verify': (ctx) => verifyAudit(ctx.engine.requireDb()),
};
