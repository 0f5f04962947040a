/**
 * The answer at a glance: the most severe hit still to decide (or, once all are decided, the most
 * severe confirmed one), with its list kind, band, the list's action in large type and the warrant
 * number; green when nothing needs a decision.
 */
import { useTranslation } from 'react-i18next';
import type { HitView } from '../../../../shared/contract';
import { DEFAULT_ACTIONS, needsDecision, type Band, type ListKind } from '../../../../shared/domain';
import { BandBadge, KindBadge } from '../../components/ui';
import { formatScore } from '../../format';

const KIND_ORDER: Record<ListKind, number> = { wanted: 0, 'deny-entry': 1, 'at-risk': 2, monitor: 3 };
const BAND_ORDER: Record<Band, number> = { strong: 0, review: 1, weak: 2 };

/** Hits most severe first: band, then list kind (wanted first), then score. */
export function bySeverity(a: HitView, b: HitView): number {
  return BAND_ORDER[a.band] - BAND_ORDER[b.band] || KIND_ORDER[a.listKind] - KIND_ORDER[b.listKind] || b.score - a.score;
}

/** A hit at or above review that is not decided yet. */
export function isOpen(h: HitView): boolean {
  return needsDecision(h.band) && h.decision === 'undecided';
}

/** The list's action text in the UI language (the default text of its kind, or the list's own). */
export function actionText(h: HitView, t: (k: string) => string): string {
  return h.action === DEFAULT_ACTIONS[h.listKind] ? t(`actions.${h.listKind}`) : h.action;
}

/** `hits`: one per row of the hit list; `openHits`: every hit still to decide (duplicates counted), as the rules of the desk count them. */
export function Verdict({ hits, openHits }: { hits: HitView[]; openHits: number }) {
  const { t } = useTranslation();
  const open = hits.filter(isOpen).sort(bySeverity);
  const confirmed = hits.filter((h) => h.decision === 'confirmed').sort(bySeverity);
  const top = open[0] ?? confirmed[0];
  if (!top) {
    const weak = hits.length;
    return (
      <div className="verdict verdict-clear" role="status" data-testid="verdict" data-verdict="clear">
        <div className="verdict-title">{weak ? t('screening.verdictCleared') : t('screening.verdictNoHits')}</div>
        <div className="verdict-action">{t('screening.verdictRecord')}</div>
      </div>
    );
  }
  const state = open.length ? 'open' : 'confirmed';
  return (
    <div className={`verdict verdict-${top.listKind} verdict-${state}`} role="alert" data-testid="verdict" data-verdict={state} data-kind={top.listKind}>
      <div className="verdict-title">
        <KindBadge kind={top.listKind} /> <BandBadge band={top.band} />{' '}
        <span>{state === 'open' ? t('screening.verdictOpen', { list: top.list, score: formatScore(top.score) }) : t('screening.verdictConfirmed', { list: top.list })}</span>
        {openHits > 0 && <span className="verdict-count">{t('screening.verdictToDecide', { count: openHits })}</span>}
      </div>
      <div className="verdict-action" data-testid="verdict-action">{actionText(top, t)}</div>
      {top.entry.reference && (
        <div className="verdict-reference" data-testid="verdict-reference">
          {t('screening.reference')}: <b>{top.entry.reference}</b>
        </div>
      )}
    </div>
  );
}
