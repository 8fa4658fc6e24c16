/**
 * The names of violations and cases in both UI languages, in one place: the console renders them
 * and the server writes them into exports (xlsx) and notifications, so a type reads 违规倾倒 in
 * both. zh-CN first; English beside it (../shared/docs/glossary.md).
 */
import type { ViolationSeverity, ViolationTypeName } from '../api/compliance.js';
import type { CaseAction, CaseState, DismissReason, OutcomeKind } from '../api/violation-cases.js';

export type UiLocale = 'zh-CN' | 'en';

type Labels<K extends string> = Record<UiLocale, Record<K, string>>;

export const VIOLATION_TYPE_LABELS: Labels<ViolationTypeName> = {
  'zh-CN': {
    illegal_dumping: '违规倾倒',
    undesignated_disposal: '非指定消纳场倾倒',
    closed_disposal_site: '进入关闭或非法消纳场',
    unsealed_transport: '未密闭运输',
    off_route: '偏离路线',
    outside_time_window: '时段违规',
    overspeed: '超速',
    overload: '超载',
    unlicensed_transport: '无证运输',
    unregistered_terminal: '未登记终端',
    terminal_offline: '终端离线',
    suspected_tampering: '疑似篡改定位',
  },
  en: {
    illegal_dumping: 'Illegal dumping',
    undesignated_disposal: 'Undesignated disposal site',
    closed_disposal_site: 'Closed or illegal disposal site',
    unsealed_transport: 'Unsealed transport',
    off_route: 'Off route',
    outside_time_window: 'Outside time window',
    overspeed: 'Overspeed',
    overload: 'Overload',
    unlicensed_transport: 'Unlicensed transport',
    unregistered_terminal: 'Unregistered terminal',
    terminal_offline: 'Terminal offline',
    suspected_tampering: 'Suspected tampering',
  },
};

export const SEVERITY_LABELS: Labels<ViolationSeverity> = {
  'zh-CN': { low: '低', medium: '中', high: '高', critical: '严重' },
  en: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
};

export const CASE_STATE_LABELS: Labels<CaseState> = {
  'zh-CN': {
    new: '待确认',
    confirmed: '已确认',
    dismissed: '已排除',
    assigned: '已交办',
    handled: '已处置',
    returned: '已退回',
    closed: '已办结',
  },
  en: {
    new: 'New',
    confirmed: 'Confirmed',
    dismissed: 'Dismissed',
    assigned: 'Assigned',
    handled: 'Handled',
    returned: 'Returned',
    closed: 'Closed',
  },
};

export const CASE_ACTION_LABELS: Labels<CaseAction> = {
  'zh-CN': {
    confirm: '确认',
    dismiss: '排除',
    assign: '交办',
    reassign: '改派',
    handle: '处置反馈',
    return: '退回',
    close: '办结',
    reopen: '重新打开',
    comment: '备注',
  },
  en: {
    confirm: 'Confirm',
    dismiss: 'Dismiss',
    assign: 'Assign',
    reassign: 'Reassign',
    handle: 'Report handling',
    return: 'Return',
    close: 'Close',
    reopen: 'Reopen',
    comment: 'Comment',
  },
};

export const DISMISS_REASON_LABELS: Labels<DismissReason> = {
  'zh-CN': {
    gps_drift: '定位漂移',
    approved_exception: '经批准的例外',
    duplicate: '重复报警',
    test_device: '测试设备',
    sensor_fault: '传感器故障',
    other: '其他',
  },
  en: {
    gps_drift: 'GPS drift',
    approved_exception: 'Approved exception',
    duplicate: 'Duplicate',
    test_device: 'Test device',
    sensor_fault: 'Sensor fault',
    other: 'Other',
  },
};

export const OUTCOME_KIND_LABELS: Labels<OutcomeKind> = {
  'zh-CN': { penalty: '行政处罚', rectification: '责令整改', no_case: '不予立案' },
  en: { penalty: 'Penalty', rectification: 'Rectification order', no_case: 'No case' },
};
