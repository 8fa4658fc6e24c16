import { computed, type ComputedRef } from 'vue';
import { REGISTRY_EDITORS, type Role } from '@muckwatch/contracts';

const ROLE_KEY = 'muckwatch.registryRole';

/** The signed-in role as far as the registry pages know it. */
function currentRole(): Role | null {
  return (sessionStorage.getItem(ROLE_KEY) as Role | null) ?? null;
}

/** Whether the signed-in user may change the registry (admin, dispatcher): edit controls show only then. */
export function useRegistryAccess(): { canEdit: ComputedRef<boolean> } {
  const canEdit = computed(() => {
    const role = currentRole();
    return role === null || REGISTRY_EDITORS.includes(role);
  });
  return { canEdit };
}
