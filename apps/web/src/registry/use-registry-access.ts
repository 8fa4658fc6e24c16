import { computed, type ComputedRef } from 'vue';
import { REGISTRY_EDITORS } from '@muckwatch/contracts';
import { useAuthStore } from '../stores/auth.js';

/** Whether the signed-in user may change the registry (admin, dispatcher): edit controls show only then. */
export function useRegistryAccess(): { canEdit: ComputedRef<boolean> } {
  const auth = useAuthStore();
  const canEdit = computed(() => auth.role !== null && REGISTRY_EDITORS.includes(auth.role));
  return { canEdit };
}
