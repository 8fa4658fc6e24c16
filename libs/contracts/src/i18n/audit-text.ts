/**
 * The audit log in both UI languages: the name of every action the API audits, the roles, the
 * outcomes and the kinds of object. The console's audit page and the server's exports (CSV, xlsx)
 * read them here, so an action reads 交办案件 in both and never as the raw `case.assign`.
 *
 * Actions are dotted (`user.create`, `terminal.credentials.issue`); the catalogue keys them with
 * every non-alphanumeric turned into `_` (`user_create`), which is also how the console's message
 * keys name them, so `case.assign` and `case_assign` find the same entry.
 */
import type { AuditOutcome, Role } from '../api/accounts.js';
import type { RegistryChange, RegistryResourceType } from '../api/registry.js';
import type { UiLocale } from './case-text.js';

/** The catalogue key of an action: `terminal.credentials.issue` → `terminal_credentials_issue`. */
export function auditActionKey(action: string): string {
  return action.replace(/[^a-zA-Z0-9]/g, '_');
}

type Labels = Record<UiLocale, Record<string, string>>;

/** The registry's kinds of record, as its audit rows name them (`resource_type`, and the first part of the action). */
export const REGISTRY_RESOURCE_LABELS: Record<UiLocale, Record<RegistryResourceType, string>> = {
  'zh-CN': {
    company: '运输企业',
    truck: '车辆',
    terminal: '终端',
    town: '镇街',
    construction_site: '工地',
    disposal_site: '消纳场',
    route: '核准路线',
    time_window: '时段方案',
    approval: '核准',
    speed_zone: '限速区',
    terminal_model: '终端型号',
  },
  en: {
    company: 'transport company',
    truck: 'truck',
    terminal: 'terminal',
    town: 'town',
    construction_site: 'construction site',
    disposal_site: 'disposal site',
    route: 'approved route',
    time_window: 'time window schedule',
    approval: 'approval',
    speed_zone: 'speed-limit zone',
    terminal_model: 'terminal model',
  },
};

const REGISTRY_VERBS: Record<UiLocale, Record<RegistryChange['action'], string>> = {
  'zh-CN': { create: '新增', update: '修改', delete: '删除', bind: '绑定', unbind: '解绑', import: '导入' },
  en: { create: 'Create', update: 'Update', delete: 'Delete', bind: 'Bind', unbind: 'Unbind', import: 'Import' },
};

/** Which registry changes each kind of record is audited with (apps/api/src/registry/). */
const REGISTRY_ACTIONS: Record<RegistryResourceType, ReadonlyArray<RegistryChange['action']>> = {
  company: ['create', 'update', 'delete'],
  truck: ['create', 'update', 'delete'],
  terminal: ['create', 'update', 'delete', 'bind', 'unbind'],
  town: ['import'],
  construction_site: ['create', 'update', 'delete', 'import'],
  disposal_site: ['create', 'update', 'delete', 'import'],
  route: ['create', 'update', 'delete', 'import'],
  time_window: ['create', 'update', 'delete'],
  approval: ['create', 'update', 'delete'],
  speed_zone: ['create', 'update', 'delete', 'import'],
  terminal_model: ['create', 'update', 'delete'],
};

function registryLabels(locale: UiLocale): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [type, actions] of Object.entries(REGISTRY_ACTIONS) as Array<[RegistryResourceType, ReadonlyArray<RegistryChange['action']>]>) {
    for (const action of actions) {
      const noun = REGISTRY_RESOURCE_LABELS[locale][type];
      labels[`${type}_${action}`] = locale === 'zh-CN' ? `${REGISTRY_VERBS[locale][action]}${noun}` : `${REGISTRY_VERBS[locale][action]} ${noun}`;
    }
  }
  return labels;
}

/** Every action the API audits, by catalogue key (`auditActionKey`). */
export const AUDIT_ACTION_LABELS: Labels = {
  'zh-CN': {
    auth_login: '登录',
    auth_logout: '退出登录',
    auth_refresh: '刷新会话',
    authz_denied: '越权访问',
    user_create: '创建用户',
    user_update: '修改用户',
    user_password: '修改密码',
    audit_export: '导出审计日志',
    terminal_credentials_issue: '签发终端凭据',
    mqtt_connect: '终端连接被拒',
    terminal_jt808_auth_code_issue: '签发 JT/T 808 鉴权码',
    terminal_jt808_auth_code_revoke: '吊销 JT/T 808 鉴权码',
    jt808_register: 'JT/T 808 终端注册',
    jt808_authenticate: 'JT/T 808 终端鉴权',
    mqtt_publish: '终端发布被拒',
    mqtt_subscribe: '终端订阅被拒',
    mqtt_packet: '终端报文被拒',
    violation_update: '修改违规记录',
    case_confirm: '确认案件',
    case_dismiss: '排除案件',
    case_assign: '交办案件',
    case_reassign: '改派案件',
    case_handle: '反馈处置结果',
    case_return: '退回案件',
    case_close: '办结案件',
    case_reopen: '重新开启案件',
    case_comment: '添加案件备注',
    case_attachment_upload: '上传案件附件',
    violations_export: '导出违规列表',
    trips_export: '导出运次列表',
    department_create: '新增执法部门',
    department_update: '修改执法部门',
    department_delete: '删除执法部门',
    ranking_close: '冻结月度排名',
    ranking_revise: '修订月度排名',
    ranking_export: '导出考核排名',
    replay_export: '导出车辆轨迹',
    methodology_create: '发布考核办法',
    ranking_adjustment_create: '录入考核加减分',
    ranking_adjustment_delete: '删除考核加减分',
    pile_create: '登记建筑垃圾堆',
    pile_update: '修改建筑垃圾堆',
    pile_status: '变更建筑垃圾堆状态',
    pile_photo_upload: '上传建筑垃圾堆照片',
    collection_point_create: '新增收集点',
    collection_point_update: '修改收集点',
    collection_request_create: '登记收集申请',
    collection_request_update: '修改收集申请',
    collection_request_dispatch: '派车收集',
    collection_request_cancel: '取消收集申请',
    collection_request_fulfil: '收集完成（GPS 核验）',
    finding_create: '登记巡查发现',
    finding_update: '修改巡查发现',
    finding_status: '变更巡查发现状态',
    finding_photo_upload: '上传巡查发现照片',
    command_issue: '下发管控指令',
    command_release: '解除管控',
    control_policy_update: '修改管控策略',
    ...registryLabels('zh-CN'),
  },
  en: {
    auth_login: 'Sign in',
    auth_logout: 'Sign out',
    auth_refresh: 'Refresh session',
    authz_denied: 'Access denied',
    user_create: 'Create user',
    user_update: 'Update user',
    user_password: 'Change password',
    audit_export: 'Export audit log',
    terminal_credentials_issue: 'Issue terminal credentials',
    mqtt_connect: 'Terminal connection refused',
    terminal_jt808_auth_code_issue: 'Issue JT/T 808 auth code',
    terminal_jt808_auth_code_revoke: 'Revoke JT/T 808 auth code',
    jt808_register: 'JT/T 808 terminal registration',
    jt808_authenticate: 'JT/T 808 terminal authentication',
    mqtt_publish: 'Terminal publish refused',
    mqtt_subscribe: 'Terminal subscription refused',
    mqtt_packet: 'Terminal packet refused',
    violation_update: 'Update violation',
    case_confirm: 'Confirm case',
    case_dismiss: 'Dismiss case',
    case_assign: 'Assign case',
    case_reassign: 'Reassign case',
    case_handle: 'Record handling',
    case_return: 'Return case',
    case_close: 'Close case',
    case_reopen: 'Reopen case',
    case_comment: 'Comment on case',
    case_attachment_upload: 'Upload case attachment',
    violations_export: 'Export violations',
    trips_export: 'Export trips',
    department_create: 'Create department',
    department_update: 'Update department',
    department_delete: 'Delete department',
    ranking_close: 'Freeze monthly ranking',
    ranking_revise: 'Revise monthly ranking',
    ranking_export: 'Export ranking',
    replay_export: 'Export truck track',
    methodology_create: 'Publish methodology',
    ranking_adjustment_create: 'Enter ranking adjustment',
    ranking_adjustment_delete: 'Delete ranking adjustment',
    pile_create: 'Register waste pile',
    pile_update: 'Update waste pile',
    pile_status: 'Change waste pile status',
    pile_photo_upload: 'Upload waste pile photo',
    collection_point_create: 'Create collection point',
    collection_point_update: 'Update collection point',
    collection_request_create: 'Record collection request',
    collection_request_update: 'Update collection request',
    collection_request_dispatch: 'Dispatch truck for collection',
    collection_request_cancel: 'Cancel collection request',
    collection_request_fulfil: 'Collection fulfilled (from GPS)',
    finding_create: 'Record finding',
    finding_update: 'Update finding',
    finding_status: 'Change finding status',
    finding_photo_upload: 'Upload finding photo',
    command_issue: 'Send control command',
    command_release: 'Release control',
    control_policy_update: 'Change control policies',
    ...registryLabels('en'),
  },
};

/** Every action the API audits, dotted as it stores them (the console's action filter offers these). */
export const AUDITED_ACTIONS: readonly string[] = [
  'auth.login',
  'auth.logout',
  'auth.refresh',
  'authz.denied',
  'user.create',
  'user.update',
  'user.password',
  'audit.export',
  'terminal.credentials.issue',
  'mqtt.connect',
  'terminal.jt808_auth_code.issue',
  'terminal.jt808_auth_code.revoke',
  'jt808.register',
  'jt808.authenticate',
  'mqtt.publish',
  'mqtt.subscribe',
  'mqtt.packet',
  'violation.update',
  'case.confirm',
  'case.dismiss',
  'case.assign',
  'case.reassign',
  'case.handle',
  'case.return',
  'case.close',
  'case.reopen',
  'case.comment',
  'case.attachment_upload',
  'violations.export',
  'trips.export',
  'department.create',
  'department.update',
  'department.delete',
  'ranking.close',
  'ranking.revise',
  'ranking.export',
  'replay.export',
  'methodology.create',
  'ranking_adjustment.create',
  'ranking_adjustment.delete',
  'pile.create',
  'pile.update',
  'pile.status',
  'pile.photo_upload',
  'collection_point.create',
  'collection_point.update',
  'collection_request.create',
  'collection_request.update',
  'collection_request.dispatch',
  'collection_request.cancel',
  'collection_request.fulfil',
  'finding.create',
  'finding.update',
  'finding.status',
  'finding.photo_upload',
  'command.issue',
  'command.release',
  'control_policy.update',
  ...(Object.entries(REGISTRY_ACTIONS) as Array<[RegistryResourceType, ReadonlyArray<RegistryChange['action']>]>).flatMap(([type, actions]) =>
    actions.map((action) => `${type}.${action}`),
  ),
];

/** The name of an action in `locale`; null for an action the catalogue does not know. */
export function auditActionLabel(action: string, locale: UiLocale): string | null {
  return AUDIT_ACTION_LABELS[locale][auditActionKey(action)] ?? null;
}

export const ROLE_LABELS: Record<UiLocale, Record<Role, string>> = {
  'zh-CN': { admin: '系统管理员', dispatcher: '渣土办调度员', town_official: '镇街工作人员', enforcement_officer: '执法人员', auditor: '审计员' },
  en: { admin: 'Administrator', dispatcher: 'Dispatcher', town_official: 'Town official', enforcement_officer: 'Enforcement officer', auditor: 'Auditor' },
};

export const AUDIT_OUTCOME_LABELS: Record<UiLocale, Record<AuditOutcome, string>> = {
  'zh-CN': { success: '成功', denied: '拒绝', failure: '失败' },
  en: { success: 'Success', denied: 'Denied', failure: 'Failure' },
};

/** The kinds of object audit rows name (`resource_type`), beyond the registry's. */
const OTHER_RESOURCE_LABELS: Labels = {
  'zh-CN': {
    user: '用户',
    session: '会话',
    audit_log: '审计日志',
    broker: '消息服务',
    violation: '违规记录',
    case: '案件',
    department: '执法部门',
    violations: '违规列表',
    http_route: '接口',
    ranking: '月度排名',
    methodology: '考核办法',
    ranking_adjustment: '考核加减分',
    waste_pile: '建筑垃圾堆',
    collection_point: '收集点',
    collection_request: '收集申请',
    finding: '巡查发现',
  },
  en: {
    user: 'user',
    session: 'session',
    audit_log: 'audit log',
    broker: 'broker',
    violation: 'violation',
    case: 'case',
    department: 'department',
    violations: 'violation list',
    http_route: 'API route',
    ranking: 'monthly ranking',
    methodology: 'methodology',
    ranking_adjustment: 'ranking adjustment',
    waste_pile: 'waste pile',
    collection_point: 'collection point',
    collection_request: 'collection request',
    finding: 'finding',
  },
};

/**
 * The kind of object of an audit row in `locale`; the type as it is when unknown. A denied
 * request names an HTTP route (`route` there is not an approved route).
 */
export function auditResourceTypeLabel(resourceType: string | null, action: string, locale: UiLocale): string | null {
  if (resourceType === null) return null;
  const key = action === 'authz.denied' && resourceType === 'route' ? 'http_route' : resourceType;
  return (
    (REGISTRY_RESOURCE_LABELS[locale] as Record<string, string>)[key] ?? OTHER_RESOURCE_LABELS[locale][key] ?? resourceType
  );
}
