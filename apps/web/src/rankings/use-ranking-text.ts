import { computed, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  ASSESSMENT_ITEM_LABELS,
  RANKING_ADJUSTMENT_LABELS,
  RANKING_GRADE_LABELS,
  RANKING_LIST_LABELS,
  renderScoreLine,
  VETO_GROUND_LABELS,
  type AssessmentItem,
  type RankingAdjustmentKind,
  type RankingGrade,
  type RankingScoreLine,
  type RankingVetoGround,
  type UiLocale,
} from '@muckwatch/contracts';
import type { RowTag } from './ranking-view.js';

const TAG_LABEL_KEY = { red: 'redList', black: 'blackList', interview: 'interview' } as const;

function rankingText(lang: Ref<UiLocale>) {
  return {
    itemLabel: (code: AssessmentItem): string => ASSESSMENT_ITEM_LABELS[lang.value][code] ?? code,
    gradeLabel: (grade: RankingGrade): string => RANKING_GRADE_LABELS[lang.value][grade] ?? grade,
    vetoLabel: (ground: RankingVetoGround): string => VETO_GROUND_LABELS[lang.value][ground] ?? ground,
    adjustmentLabel: (kind: RankingAdjustmentKind): string => RANKING_ADJUSTMENT_LABELS[lang.value][kind] ?? kind,
    tagLabel: (tag: RowTag): string =>
      tag === 'veto' ? RANKING_ADJUSTMENT_LABELS[lang.value].veto : RANKING_LIST_LABELS[lang.value][TAG_LABEL_KEY[tag]],
    tiedLabel: (): string => RANKING_LIST_LABELS[lang.value].tied,
    /** A score line as a sentence (libs/contracts ranking-text, the same words as the xlsx export). */
    lineText: (line: RankingScoreLine): string => renderScoreLine(line, lang.value),
  };
}

/**
 * Names of items, grades, veto grounds, adjustments and lists, and score lines as sentences, in
 * the console's language (libs/contracts ranking-text: the same words as the export and bulletin).
 */
export function useRankingText() {
  const { locale } = useI18n();
  return rankingText(computed<UiLocale>(() => (locale.value === 'en' ? 'en' : 'zh-CN')));
}

/** The same in zh-CN whatever the console's language: the bulletin is published in Chinese. */
export function useZhRankingText() {
  return rankingText(computed<UiLocale>(() => 'zh-CN'));
}
