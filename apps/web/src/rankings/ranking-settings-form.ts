import {
  ASSESSMENT_ITEM_CODES,
  type AssessmentItem,
  type Methodology,
  type MethodologyInput,
  type RankingAdjustmentInput,
  type RankingAdjustmentKind,
  type RankingVetoGround,
} from '@muckwatch/contracts';

/** The adjustment form of 考核设置 as the inputs hold it. */
export interface AdjustmentForm {
  townCode: string;
  kind: RankingAdjustmentKind;
  /** Bonus: required; notifications: optional (the methodology's points); veto: none. */
  points: number | null;
  vetoGround: RankingVetoGround | null;
  reason: string;
  documentRef: string;
}

export function emptyAdjustmentForm(): AdjustmentForm {
  return { townCode: '', kind: 'bonus', points: null, vetoGround: null, reason: '', documentRef: '' };
}

/** The field the form still needs (by its message key under rankings.settings), or the request to send. */
export function adjustmentInput(
  month: string,
  form: AdjustmentForm,
): { input: RankingAdjustmentInput } | { missing: 'town' | 'points' | 'vetoGround' | 'reason' | 'documentRef' } {
  if (!form.townCode) return { missing: 'town' };
  if (form.kind === 'bonus' && (form.points === null || !(form.points > 0))) return { missing: 'points' };
  if (form.kind === 'veto' && !form.vetoGround) return { missing: 'vetoGround' };
  const reason = form.reason.trim();
  const documentRef = form.documentRef.trim();
  if (!reason) return { missing: 'reason' };
  if (!documentRef) return { missing: 'documentRef' };
  const input: RankingAdjustmentInput = { month, townCode: form.townCode, kind: form.kind, reason, documentRef };
  if (form.kind === 'veto') input.vetoGround = form.vetoGround;
  else if (form.points !== null && form.points > 0) input.points = form.points;
  return { input };
}

/** What the new-version dialog edits: the items' maxima, grade lines, bonus cap; the rest is copied. */
export interface MethodologyForm {
  effectiveFrom: string;
  note: string;
  max: Record<AssessmentItem, number>;
  excellent: number;
  good: number;
  bonusCap: number;
}

export function methodologyFormFrom(newest: Methodology, effectiveFrom: string): MethodologyForm {
  const max = {} as Record<AssessmentItem, number>;
  for (const code of ASSESSMENT_ITEM_CODES) max[code] = newest.items[code].max;
  return { effectiveFrom, note: '', max, excellent: newest.grades.excellent, good: newest.grades.good, bonusCap: newest.bonusCap };
}

/** The new version: the newest one with the form's changes (every other parameter kept as it was). */
export function methodologyInput(newest: Methodology, form: MethodologyForm): MethodologyInput {
  return {
    base: newest.base,
    items: {
      A: { ...newest.items.A, max: form.max.A },
      B: { ...newest.items.B, max: form.max.B },
      C: { ...newest.items.C, max: form.max.C },
      D: { ...newest.items.D, max: form.max.D },
      E: { ...newest.items.E, max: form.max.E },
      F: { ...newest.items.F, max: form.max.F },
    },
    finderWeights: { ...newest.finderWeights },
    bonusCap: form.bonusCap,
    notificationPoints: { ...newest.notificationPoints },
    grades: { excellent: form.excellent, good: form.good },
    redListSize: newest.redListSize,
    blackListSize: newest.blackListSize,
    interviewAfterBlackMonths: newest.interviewAfterBlackMonths,
    effectiveFrom: form.effectiveFrom,
    note: form.note.trim() || null,
  };
}
