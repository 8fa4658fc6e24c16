import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Department } from '@muckwatch/contracts';
import { fetchDepartments } from '../violations/case-api.js';

/** The enforcing departments (执法部门), read once per session and again after the admin edits them. */
export const useDepartmentsStore = defineStore('departments', () => {
  const list = shallowRef<Department[]>([]);
  const status = ref<'idle' | 'loading' | 'loaded' | 'failed'>('idle');
  let pending: Promise<void> | null = null;

  const active = computed(() => list.value.filter((d) => d.active));
  const byCode = computed(() => new Map(list.value.map((d) => [d.code, d])));

  function load(force = false): Promise<void> {
    if (force || status.value === 'failed') pending = null;
    pending ??= (async () => {
      status.value = 'loading';
      try {
        list.value = await fetchDepartments();
        status.value = 'loaded';
      } catch (error) {
        console.error(error);
        status.value = 'failed';
      }
    })();
    return pending;
  }

  function nameOf(code: string | null | undefined): string | null {
    if (!code) return null;
    return byCode.value.get(code)?.name ?? code;
  }

  return { list, status, active, byCode, load, nameOf };
});
