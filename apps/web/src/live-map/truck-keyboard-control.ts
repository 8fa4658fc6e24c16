import L from 'leaflet';

export interface TruckKeyboardOptions {
  /** Keys of the trucks in sight, in list order. */
  inView: () => string[];
  labelOf: (key: string) => string;
  /** Select a truck and bring it into view. */
  choose: (key: string) => void;
  clear: () => void;
  t: (key: string, values?: Record<string, unknown>) => string;
}

/**
 * The map's trucks for the keyboard: two buttons (and the arrow keys while either has focus) step
 * through the trucks in sight, in list order, selecting each; Escape clears the selection. A live
 * region says which truck is selected. The set of trucks is taken when stepping starts and kept
 * while focus stays in the control, so flying to a truck does not reshuffle it.
 */
export class TruckKeyboardControl {
  private root: HTMLElement | null = null;
  private cycle: string[] | null = null;
  private position = -1;
  private status: HTMLElement | null = null;

  constructor(private readonly keys: TruckKeyboardOptions) {}

  /** Top centre of the map, where no floating panel covers it. */
  addTo(map: L.Map): this {
    this.root = this.build();
    map.getContainer().append(this.root);
    return this;
  }

  private build(): HTMLElement {
    const { t } = this.keys;
    const root = L.DomUtil.create('div', 'leaflet-bar truck-keys');
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', t('liveMap.keys.label'));
    root.dataset['testid'] = 'truck-keys';
    this.button(root, '‹', t('liveMap.keys.previous'), -1);
    this.status = L.DomUtil.create('span', 'truck-keys__status', root);
    this.status.setAttribute('aria-live', 'polite');
    this.status.textContent = t('liveMap.keys.hint');
    this.button(root, '›', t('liveMap.keys.next'), 1);
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    root.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowRight' || event.key === 'ArrowDown') this.step(1);
      else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') this.step(-1);
      else if (event.key === 'Escape') this.keys.clear();
      else return;
      event.preventDefault();
      event.stopPropagation();
    });
    root.addEventListener('focusout', (event) => {
      if (!root.contains(event.relatedTarget as Node | null)) this.cycle = null;
    });
    return root;
  }

  private button(root: HTMLElement, text: string, label: string, direction: 1 | -1): HTMLButtonElement {
    const button = L.DomUtil.create('button', 'truck-keys__button', root);
    button.type = 'button';
    button.textContent = text;
    button.title = label;
    button.setAttribute('aria-label', label);
    button.dataset['direction'] = direction > 0 ? 'next' : 'previous';
    button.addEventListener('click', () => this.step(direction));
    return button;
  }

  private step(direction: 1 | -1): void {
    if (!this.cycle) {
      this.cycle = this.keys.inView();
      this.position = direction > 0 ? -1 : 0;
    }
    const { t } = this.keys;
    if (this.cycle.length === 0) {
      if (this.status) this.status.textContent = t('liveMap.keys.none');
      return;
    }
    this.position = (this.position + direction + this.cycle.length) % this.cycle.length;
    const key = this.cycle[this.position];
    if (key === undefined) return;
    this.keys.choose(key);
    if (this.status) {
      this.status.textContent = t('liveMap.keys.status', {
        n: this.position + 1,
        total: this.cycle.length,
        label: this.keys.labelOf(key),
      });
    }
  }

  /** The selection changed elsewhere (list, click): the status says no more than the hint. */
  selected(key: string | null): void {
    if (!this.status || (this.cycle && key === this.cycle[this.position])) return;
    this.status.textContent = this.keys.t('liveMap.keys.hint');
  }

  remove(): void {
    this.root?.remove();
    this.root = null;
    this.status = null;
    this.cycle = null;
  }
}
