import { watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ElNotification } from 'element-plus';
import { useAuthStore } from '../stores/auth.js';
import { useCasesStore } from '../stores/cases.js';
import { useAlarmsStore } from '../stores/alarms.js';
import { formatDateTime } from '../time/console-time.js';
import { isNewAssignmentFor } from './inbox.js';
import { useCaseText } from './use-case-text.js';

/**
 * Desktop notifications of alarms open their case; and an enforcement officer is told, on whatever page they are, when a case is assigned (or
 * returned) to their department; clicking the notification opens the case.
 */
export function useCaseNotifications(): void {
  const { t } = useI18n();
  const text = useCaseText();
  const router = useRouter();
  const auth = useAuthStore();
  const cases = useCasesStore();
  const openCase = (id: string): void => void router.push(`/violations/${encodeURIComponent(id)}`);
  // A click on an alarm's desktop notification opens its case.
  useAlarmsStore().bindOpenCase(openCase);

  watch(
    () => cases.lastChange,
    (event) => {
      if (!event || auth.role !== 'enforcement_officer' || !isNewAssignmentFor(event, auth.user?.department)) return;
      const v = event.violation;
      const onThisCase = (): boolean => router.currentRoute.value.path.startsWith('/violations/') && router.currentRoute.value.params['id'] === v.id;
      // Once the officer has the case open (from the inbox or the notification), the sticky notification would only cover its action buttons.
      const stop = watch(onThisCase, (open) => {
        if (open) notification.close();
      });
      const notification = ElNotification({
        title: t('cases.inbox.newAssigned'),
        message: t('cases.inbox.newAssignedBody', {
          type: text.typeLabel(v.type),
          plate: v.plate ?? v.terminalId,
          deadline: formatDateTime(v.deadline)?.slice(0, 16) ?? '—',
        }),
        type: 'warning',
        duration: 0,
        customClass: 'case-notification',
        onClick: () => {
          notification.close();
          openCase(v.id);
        },
        onClose: () => stop(),
      });
    },
  );
}
