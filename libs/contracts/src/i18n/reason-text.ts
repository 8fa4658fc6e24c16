/**
 * Why a rule fired, in words a dispatcher reads: the engine records a reason as a stable code and
 * its params (libs/domain/src/compliance); the console, exports and notifications render it here
 * in zh-CN or English. A code without a template, or a row written before params existed, falls
 * back to the recorded English `detail`.
 */
import type { ViolationReason } from '../api/compliance.js';
import type { UiLocale } from './case-text.js';

type Template = string;

export const REASON_TEMPLATES: Record<UiLocale, Record<string, Template>> = {
  'zh-CN': {
    'cover-open': '重车行驶中货厢未密闭（车速 {speedKmh} km/h）',
    'cover-partial': '重车行驶中货厢半密闭（车速 {speedKmh} km/h）',
    'outside-corridor': '偏离核准路线 {distanceM} 米（路线：{routes}）',
    'outside-windows': '{localTime} 在核准时段外行驶（时段：{schedules}）',
    'exception-closed': '{schedule}：{date} 停止运输 {note}',
    'exception-open': '{schedule}：{date} 临时开放 {note}',
    'above-limit': '车速 {speedKmh} km/h，超过限速 {limitKmh} km/h',
    'above-rated-load': '载重 {loadT} 吨，核定载重 {ratedT} 吨（超载判定线 {limitT} 吨）',
    'terminal-reports-overload': '终端上报超载状态',
    'unknown-origin': '在已登记工地和收集点之外装载',
    'no-valid-approval': '{site} 在 {date} 无有效的处置核准',
    'truck-not-on-approval': '{plate} 不在核准 {approvals} 的车辆清单内',
    'no-registered-truck': '终端未绑定已登记车辆',
    'no-permit': '{plate} 无准运证',
    'permit-invalid': '{plate} 的准运证 {permit} 在 {date} 无效（有效期 {validFrom}–{validTo}）',
    'tipped-at-closed-site': '在已关闭的消纳场 {site} 倾倒',
    'tipped-at-illegal-site': '在非法消纳场 {site} 倾倒',
    'entered-closed-site': '驶入已关闭的消纳场 {site}',
    'entered-illegal-site': '驶入非法消纳场 {site}',
    'not-designated': '在 {site} 倾倒，该场不是核准 {approval} 指定的消纳场',
    'outside-disposal-sites': '在所有合法消纳场之外倾倒',
    'implausible-jump': '定位跳变，推算速度 {speedKmh} km/h',
    'no-end': '出发后 {hours} 小时内未倾倒',
    'terminal-not-bound': '终端 {terminalId} 未绑定任何已登记车辆',
    silent: '运输或行驶中 {minutes} 分钟无定位',
    backfilled: '终端在记录：缓存的定位已补传',
    'trip-without-registered-truck': '无登记车辆的运输 {trips} 趟，最近一趟 {startedAt} 自 {origin} 出发（不再另计无证运输）',
    'closed-under-origin-approval': '{truck} 不在核准 {approval} 的车辆清单内；渣土运至该核准为 {site} 指定的消纳场',
  },
  en: {
    'cover-open': 'cover open while loaded at {speedKmh} km/h',
    'cover-partial': 'cover half open while loaded at {speedKmh} km/h',
    'outside-corridor': '{distanceM} m outside the corridor of {routes}',
    'outside-windows': 'running at {localTime} outside {schedules}',
    'exception-closed': '{schedule}: closed on {date} {note}',
    'exception-open': '{schedule}: open on {date} {note}',
    'above-limit': '{speedKmh} km/h where the limit is {limitKmh} km/h',
    'above-rated-load': '{loadT} t on a truck rated {ratedT} t (limit {limitT} t)',
    'terminal-reports-overload': 'the terminal reports the load state overload',
    'unknown-origin': 'loaded away from any registered construction site or collection point',
    'no-valid-approval': '{site} has no disposal approval valid on {date}',
    'truck-not-on-approval': '{plate} is not listed on {approvals}',
    'no-registered-truck': 'no registered truck carries this terminal',
    'no-permit': '{plate} has no transport permit',
    'permit-invalid': 'transport permit {permit} of {plate} is not valid on {date} ({validFrom}–{validTo})',
    'tipped-at-closed-site': 'tipped at {site}, a closed disposal site',
    'tipped-at-illegal-site': 'tipped at {site}, an illegal disposal site',
    'entered-closed-site': 'entered {site}, a closed disposal site',
    'entered-illegal-site': 'entered {site}, an illegal disposal site',
    'not-designated': 'tipped at {site}, not designated by approval {approval}',
    'outside-disposal-sites': 'tipped outside every licensed disposal site',
    'implausible-jump': 'moved at an implied {speedKmh} km/h',
    'no-end': 'no tipping within {hours} h of the start',
    'terminal-not-bound': 'terminal {terminalId} is not bound to any registered truck',
    silent: 'no fix for {minutes} min while in a trip or moving',
    backfilled: 'the terminal was recording: its buffered fixes arrived late',
    'trip-without-registered-truck': '{trips} trip(s) with no registered truck, the latest from {origin} at {startedAt} (not counted again as unlicensed transport)',
    'closed-under-origin-approval': '{truck} is not listed on {approval}; the load went where it sends the waste of {site}',
  },
};

const PLACEHOLDER = /\{(\w+)\}/g;

/** The reason as a sentence in `locale`; the recorded English detail when it cannot be rendered. */
export function renderReason(reason: Pick<ViolationReason, 'code' | 'detail' | 'params'>, locale: UiLocale): string {
  const template = REASON_TEMPLATES[locale][reason.code];
  const params = reason.params;
  if (template === undefined) return reason.detail;
  let complete = true;
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) complete = false;
    return String(value);
  });
  return complete ? text.replace(/\s+$/, '') : reason.detail;
}

/** Every reason of a violation or trip, joined for one cell or line. */
export function renderReasons(reasons: ReadonlyArray<Pick<ViolationReason, 'code' | 'detail' | 'params'>>, locale: UiLocale): string {
  return reasons.map((r) => renderReason(r, locale)).join(locale === 'zh-CN' ? '；' : '; ');
}
