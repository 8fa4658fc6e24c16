import { reactive } from 'vue';
import { ElMessage } from 'element-plus';
import { localizedError } from '../api/api-error-message.js';
import { i18n } from '../i18n/index.js';
import { RegistryApiError } from './registry-api.js';
import { formFieldOf } from './registry-forms.js';

/**
 * Server-side validation messages next to their form fields: a 400 names a field (dotted path
 * into the body); its message is shown under the form item with that prop. Anything else is a
 * notification.
 */
export function useFormErrors(aliases: Record<string, string> = {}) {
  const errors = reactive<Record<string, string>>({});

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key];
  }

  /** Shows the error; returns the form field it was put next to, if any. */
  function show(error: unknown, props: readonly string[]): string | null {
    clear();
    if (error instanceof RegistryApiError && error.status === 400 && error.field) {
      const top = error.field.split('.')[0] ?? error.field;
      const prop = formFieldOf(error.field, props) ?? (aliases[top] && props.includes(aliases[top]) ? aliases[top] : null);
      if (prop) {
        errors[prop] = messageOf(error);
        return prop;
      }
    }
    if (error instanceof RegistryApiError && error.status === 403) {
      ElMessage.error(i18n.global.t('registry.messages.forbidden'));
      return null;
    }
    ElMessage.error(i18n.global.t('registry.messages.saveFailed', { message: messageOf(error) }));
    return null;
  }

  return { errors, clear, show };
}

/** A load failure as a notification. */
export function notifyLoadError(error: unknown): void {
  console.error(error);
  ElMessage.error(i18n.global.t('registry.messages.loadFailed', { message: messageOf(error) }));
}

/** The API's own reason in the console's language when it sent one, not the request line. */
export function messageOf(error: unknown): string {
  return localizedError(error);
}
