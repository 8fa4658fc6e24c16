import { useI18n } from 'vue-i18n';
import { useConsoleConfigStore } from '../stores/console-config.js';
import { elapsedSince, formatDateTime } from '../time/console-time.js';
import { compassPoint } from '../trucks/compass.js';
import type { TruckRow } from './truck-rows.js';

type ValueGroup = 'ignition' | 'cover' | 'body' | 'load' | 'sensor' | 'liveness';

/** How the console words truck facts; every missing value reads "—". */
export function useTruckFormat() {
  const { t } = useI18n();
  const config = useConsoleConfigStore();
  const missing = (): string => t('values.missing');

  return {
    missing,
    /** The plate, or "未登记终端 <terminalId>" for a terminal no truck is bound to. */
    truckLabel: (row: Pick<TruckRow, 'plate' | 'terminalId'>): string =>
      row.plate ?? t('trucks.unregisteredTerminal', { terminalId: row.terminalId ?? missing() }),
    text: (value: string | null | undefined): string => (value === null || value === undefined || value === '' ? missing() : value),
    dateTime: (iso: string | null | undefined): string => formatDateTime(iso, config.timeZone) ?? missing(),
    ago: (iso: string | null | undefined, nowMs: number): string => {
      const ms = iso ? Date.parse(iso) : Number.NaN;
      if (!Number.isFinite(ms)) return missing();
      const { unit, n } = elapsedSince(ms, nowMs);
      return t(`ago.${unit}`, { n });
    },
    value: (group: ValueGroup, value: string | null | undefined): string =>
      value === null || value === undefined ? missing() : t(`values.${group}.${value}`),
    ignition: (on: boolean | null | undefined): string =>
      on === null || on === undefined ? missing() : t(on ? 'values.ignition.on' : 'values.ignition.off'),
    yesNo: (value: boolean | null | undefined): string =>
      value === null || value === undefined ? missing() : t(value ? 'values.yes' : 'values.no'),
    speed: (kmh: number | null | undefined): string =>
      kmh === null || kmh === undefined ? missing() : t('detail.kmh', { value: kmh.toFixed(1) }),
    tonnes: (value: number | null | undefined): string =>
      value === null || value === undefined ? missing() : t('detail.tonnes', { value: value.toFixed(1) }),
    heading: (deg: number | null | undefined): string =>
      deg === null || deg === undefined
        ? missing()
        : t('detail.degrees', { value: Math.round(deg), compass: t(`values.compass.${compassPoint(deg)}`) }),
    latLon: (lat: number | null | undefined, lon: number | null | undefined): string =>
      lat === null || lat === undefined || lon === null || lon === undefined
        ? missing()
        : t('detail.latLon', { lat: lat.toFixed(6), lon: lon.toFixed(6) }),
  };
}
