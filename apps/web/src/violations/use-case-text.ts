import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  CASE_ACTION_LABELS,
  CASE_STATE_LABELS,
  DISMISS_REASON_LABELS,
  OUTCOME_KIND_LABELS,
  renderReason,
  SEVERITY_LABELS,
  VIOLATION_TYPE_LABELS,
  type CaseAction,
  type CaseState,
  type DismissReason,
  type OutcomeKind,
  type UiLocale,
  type ViolationReason,
  type ViolationSeverity,
  type ViolationTypeName,
} from '@muckwatch/contracts';

/** The names of types, severities, states, actions, reasons and outcomes in the console's language (libs/contracts case-text). */
export function useCaseText() {
  const { locale } = useI18n();
  const lang = computed<UiLocale>(() => (locale.value === 'en' ? 'en' : 'zh-CN'));
  return {
    typeLabel: (type: string): string => VIOLATION_TYPE_LABELS[lang.value][type as ViolationTypeName] ?? type,
    severityLabel: (severity: ViolationSeverity): string => SEVERITY_LABELS[lang.value][severity] ?? severity,
    stateLabel: (state: CaseState): string => CASE_STATE_LABELS[lang.value][state] ?? state,
    actionLabel: (action: CaseAction): string => CASE_ACTION_LABELS[lang.value][action] ?? action,
    dismissReasonLabel: (reason: DismissReason): string => DISMISS_REASON_LABELS[lang.value][reason] ?? reason,
    outcomeLabel: (kind: OutcomeKind): string => OUTCOME_KIND_LABELS[lang.value][kind] ?? kind,
    /** Why the rule fired, as a sentence from the reason's code and params (libs/contracts reason-text). */
    reasonText: (reason: ViolationReason): string => renderReason(reason, lang.value),
  };
}

export const SEVERITY_TAG: Record<ViolationSeverity, 'info' | 'warning' | 'danger'> = {
  low: 'info',
  medium: 'warning',
  high: 'danger',
  critical: 'danger',
};

export const STATE_TAG: Record<CaseState, 'info' | 'warning' | 'danger' | 'success' | 'primary'> = {
  new: 'danger',
  confirmed: 'warning',
  dismissed: 'info',
  assigned: 'primary',
  handled: 'success',
  returned: 'warning',
  closed: 'info',
};
