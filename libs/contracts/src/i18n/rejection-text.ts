/**
 * Why the platform refused a telemetry message or fix, in both UI languages: the rejected-telemetry
 * page shows these, so a terminal vendor's payload problem reads in Chinese and the raw code stays
 * beside it for the vendor. Reasons are the `RejectionReason` codes of validate-telemetry.ts.
 */
import type { RejectionReason } from '../telemetry/validate-telemetry.js';
import type { UiLocale } from './case-text.js';

export const REJECTION_REASON_LABELS: Record<UiLocale, Record<RejectionReason, string>> = {
  'zh-CN': {
    malformed_json: 'JSON 格式错误',
    bad_topic: '主题格式错误',
    empty_payload: '报文为空',
    too_many_fixes: '一次上报的定位点过多',
    not_a_fix: '不是定位数据',
    schema_violation: '字段不符合协议',
    bad_timestamp: '定位时间无法识别',
    zero_position: '坐标为 0,0（未定位）',
    future_fix_time: '定位时间超前',
    outdated_fix_time: '定位时间过旧',
    bad_terminal_id: '终端号格式错误',
    bad_status: '状态字段无效',
    unauthorized_topic: '向非本终端主题发布',
    payload_too_large: '报文过大',
    limit_exceeded: '超出嵌套、数量或长度限制',
    unstorable_text: '含无法存储的字符',
    unstorable: '数据库拒绝存储',
    bad_frame: 'JT/T 808 帧错误（校验码、转义、长度或消息头）',
    unknown_message: '不支持的 JT/T 808 消息',
    malformed_message: 'JT/T 808 消息体无法解析',
    terminal_refused: '终端注册或鉴权被拒绝',
    not_authenticated: '终端未鉴权即上报',
    flood: '终端发送过快或过多，已限流',
  },
  en: {
    malformed_json: 'Malformed JSON',
    bad_topic: 'Bad topic',
    empty_payload: 'Empty payload',
    too_many_fixes: 'Too many fixes in one message',
    not_a_fix: 'Not a fix',
    schema_violation: 'Schema violation',
    bad_timestamp: 'Unreadable fix time',
    zero_position: 'Position 0,0 (no fix)',
    future_fix_time: 'Fix time in the future',
    outdated_fix_time: 'Fix time too old',
    bad_terminal_id: 'Bad terminal id',
    bad_status: 'Bad status field',
    unauthorized_topic: "Published to another terminal's topic",
    payload_too_large: 'Payload too large',
    limit_exceeded: 'Nesting, count or length limit exceeded',
    unstorable_text: 'Text that cannot be stored',
    unstorable: 'Refused by the database',
    bad_frame: 'Bad JT/T 808 frame (checksum, escaping, length or header)',
    unknown_message: 'Unsupported JT/T 808 message',
    malformed_message: 'JT/T 808 message body does not decode',
    terminal_refused: 'Terminal registration or authentication refused',
    not_authenticated: 'Report before authentication',
    flood: 'Terminal sent too fast or too much; throttled',
  },
};

/** Every rejection reason, in the catalogue's order (the API validates its `reason` filter against these). */
export const REJECTION_REASONS = Object.keys(REJECTION_REASON_LABELS['zh-CN']) as RejectionReason[];

export function isRejectionReason(value: unknown): value is RejectionReason {
  return typeof value === 'string' && (REJECTION_REASONS as string[]).includes(value);
}

/** The name of a reason in `locale`; the code as it is for a reason this build does not know. */
export function rejectionReasonLabel(reason: string, locale: UiLocale): string {
  return (REJECTION_REASON_LABELS[locale] as Record<string, string>)[reason] ?? reason;
}
