import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { CaseChangedEvent } from '@muckwatch/contracts';

/** The latest `case_changed` from the live socket; the case pages watch it to stay current. */
export const useCasesStore = defineStore('cases', () => {
  const lastChange = shallowRef<CaseChangedEvent | null>(null);

  function received(event: CaseChangedEvent): void {
    lastChange.value = event;
  }

  function reset(): void {
    lastChange.value = null;
  }

  return { lastChange, received, reset };
});
