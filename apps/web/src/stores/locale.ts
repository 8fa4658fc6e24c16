import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { Language } from 'element-plus/es/locale/index.mjs';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn.mjs';
import elementEn from 'element-plus/es/locale/lang/en.mjs';
import { i18n, storeLocale, type ConsoleLocale } from '../i18n/index.js';

const ELEMENT_LOCALES: Record<ConsoleLocale, Language> = { 'zh-CN': elementZhCn, en: elementEn };

/** The console's language: vue-i18n messages, Element Plus's own texts, and the page's lang. */
export const useLocaleStore = defineStore('locale', () => {
  const locale = computed<ConsoleLocale>(() => i18n.global.locale.value);
  const elementLocale = computed(() => ELEMENT_LOCALES[locale.value]);

  function apply(): void {
    document.documentElement.lang = locale.value;
    document.title = i18n.global.t('app.documentTitle');
  }

  function setLocale(next: ConsoleLocale): void {
    i18n.global.locale.value = next;
    storeLocale(next);
    apply();
  }

  return { locale, elementLocale, setLocale, apply };
});
