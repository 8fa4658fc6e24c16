import { onMounted, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { i18n } from '../i18n/index.js';
import type { RegistryResource } from './registry-api.js';
import { notifyLoadError, useFormErrors } from './use-form-errors.js';

export interface CrudOptions<R, I, F extends object> {
  api: RegistryResource<R, I>;
  idOf: (record: R) => string;
  nameOf: (record: R) => string;
  toForm: (record: R | null) => F;
  /** The body of POST (creating) or PATCH. */
  toInput: (form: F, creating: boolean) => I;
  /** Props of the form (where a 400's field is shown). */
  props: readonly string[];
  aliases?: Record<string, string>;
  /** After a successful write (refresh the shared lookups). */
  changed?: () => void;
}

/** A registry list with a create / edit dialog and delete. */
export function useCrud<R, I, F extends object>(options: CrudOptions<R, I, F>) {
  const t = i18n.global.t;
  const rows = shallowRef<R[]>([]);
  const loading = ref(false);
  const dialogOpen = ref(false);
  const editing: ShallowRef<R | null> = shallowRef(null);
  const form = ref(options.toForm(null)) as Ref<F>;
  const saving = ref(false);
  const { errors, clear, show } = useFormErrors(options.aliases);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      rows.value = await options.api.list();
    } catch (error) {
      notifyLoadError(error);
    } finally {
      loading.value = false;
    }
  }

  /** Opens the form for a record (a table row), or empty for a new one. */
  function openDialog(row: unknown): void {
    const record = (row ?? null) as R | null;
    editing.value = record;
    form.value = options.toForm(record);
    clear();
    dialogOpen.value = true;
  }

  async function save(): Promise<R | null> {
    saving.value = true;
    try {
      const current = editing.value;
      const body = options.toInput(form.value, current === null);
      const saved = current === null ? await options.api.create(body) : await options.api.update(options.idOf(current), body);
      ElMessage.success(t('registry.messages.saved'));
      dialogOpen.value = false;
      options.changed?.();
      await load();
      return saved;
    } catch (error) {
      show(error, options.props);
      return null;
    } finally {
      saving.value = false;
    }
  }

  async function remove(row: unknown): Promise<void> {
    const record = row as R;
    try {
      await ElMessageBox.confirm(t('registry.messages.confirmDelete', { name: options.nameOf(record) }), {
        type: 'warning',
        confirmButtonText: t('registry.actions.delete'),
        cancelButtonText: t('registry.actions.cancel'),
      });
    } catch {
      return;
    }
    try {
      await options.api.remove(options.idOf(record));
      ElMessage.success(t('registry.messages.deleted'));
      options.changed?.();
      await load();
    } catch (error) {
      show(error, []);
    }
  }

  onMounted(() => void load());

  return { rows, loading, load, dialogOpen, editing, form, saving, errors, openDialog, save, remove };
}
