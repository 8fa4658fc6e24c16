/** One input of a registry form, rendered by FormFields.vue. */
export interface FieldSpec {
  prop: string;
  /** Message key of the label. */
  label: string;
  type: 'text' | 'textarea' | 'number' | 'date' | 'switch' | 'select';
  required?: boolean;
  /** Not editable once the record exists (e.g. a terminal id). */
  fixedOnEdit?: boolean;
  options?: ReadonlyArray<{ value: string; label: string }>;
  /** Select: label of the empty choice ('' value), e.g. "derive from the shape". */
  emptyOption?: string;
  min?: number;
  max?: number;
  step?: number;
  placeholder?: string;
}

export const propsOf = (specs: readonly FieldSpec[]): string[] => specs.map((spec) => spec.prop);
