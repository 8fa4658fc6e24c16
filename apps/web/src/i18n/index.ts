import { createI18n } from 'vue-i18n';
import zhCN, { type MessageSchema } from './zh-CN.js';
import en from './en.js';

export type ConsoleLocale = 'zh-CN' | 'en';
export const CONSOLE_LOCALES: readonly ConsoleLocale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: ConsoleLocale = 'zh-CN';
const STORAGE_KEY = 'muckwatch.locale';

export function isConsoleLocale(value: unknown): value is ConsoleLocale {
  return typeof value === 'string' && (CONSOLE_LOCALES as readonly string[]).includes(value);
}

export function readStoredLocale(): ConsoleLocale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isConsoleLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function storeLocale(locale: ConsoleLocale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

export const i18n = createI18n<[MessageSchema], ConsoleLocale, false>({
  legacy: false,
  locale: readStoredLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
});
