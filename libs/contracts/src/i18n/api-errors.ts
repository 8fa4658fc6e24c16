/**
 * The API's errors in both UI languages. Every ApiError carries a stable `code` and its `params`;
 * the console renders the code's template here with the params (`{field}`, `{limit}`) and falls
 * back to the English `message` for a code it does not know (a newer server). The unit spec
 * (api-errors.spec.ts) checks that every code apps/api throws has both templates and that every
 * placeholder is one of the code's declared params.
 *
 * A code may have variants: `input.invalid` (a JSON Schema check) is rendered by
 * `input.invalid.<rule>` when that exists (`input.invalid.maxLength`), and `registry.not_found` by
 * `registry.not_found.<kind>`.
 */
import type { UiLocale } from './case-text.js';

/** The params each code carries (the placeholders its templates may use). */
export const API_ERROR_PARAMS = {
  'http.400': [],
  'http.401': [],
  'http.403': [],
  'http.404': [],
  'http.409': [],
  'http.413': [],
  'http.429': [],
  'http.500': [],
  'http.503': [],

  // The input boundary and parameter parsing (apps/api/src/common/).
  'input.too_large': [],
  'input.unacceptable': ['field'],
  'input.invalid': ['field', 'rule'],
  'input.invalid.required': ['field', 'rule'],
  'input.invalid.additionalProperties': ['field', 'rule'],
  'input.invalid.type': ['field', 'rule', 'type'],
  'input.invalid.enum': ['field', 'rule', 'allowed'],
  'input.invalid.const': ['field', 'rule', 'allowed'],
  'input.invalid.maxLength': ['field', 'rule', 'limit'],
  'input.invalid.minLength': ['field', 'rule', 'limit'],
  'input.invalid.maximum': ['field', 'rule', 'limit'],
  'input.invalid.minimum': ['field', 'rule', 'limit'],
  'input.invalid.exclusiveMaximum': ['field', 'rule', 'limit'],
  'input.invalid.exclusiveMinimum': ['field', 'rule', 'limit'],
  'input.invalid.maxItems': ['field', 'rule', 'limit'],
  'input.invalid.minItems': ['field', 'rule', 'limit'],
  'input.invalid.pattern': ['field', 'rule'],
  'input.invalid.format': ['field', 'rule', 'format'],
  'input.invalid.uniqueItems': ['field', 'rule'],
  'input.time_invalid': ['field'],
  'input.time_out_of_range': ['field'],
  'input.range_reversed': [],
  'input.range_too_long': ['maxDays'],
  'input.terminal_id_invalid': ['field'],
  'input.int_out_of_range': ['field', 'min', 'max'],
  'input.text_too_long': ['field', 'max'],
  'input.body_not_object': ['field'],
  'input.required': ['field'],
  'input.not_string': ['field'],
  'input.not_allowed': ['field', 'allowed'],
  'input.not_boolean': ['field'],
  'input.number_range': ['field', 'min', 'max'],
  'input.date_invalid': ['field'],
  'input.uuid_invalid': ['field'],
  'input.uuid_list_invalid': ['field'],

  // Sign-in, sessions, roles, passwords.
  'auth.sign_in_required': [],
  'auth.role_required': ['roles'],
  'auth.locked': ['minutes'],
  'auth.wrong_credentials': [],
  'auth.no_session': [],
  'auth.session_ended': [],
  'auth.current_password_wrong': [],
  'password.too_short': ['min'],
  'password.too_long': ['max'],
  'password.too_few_classes': ['classes'],
  'password.contains_username': [],

  // Accounts.
  'user.not_found': ['id'],
  'user.username_taken': ['username'],
  'user.last_admin': [],
  'user.town_required': [],
  'user.town_unknown': ['townCode'],
  'user.department_required': [],
  'user.no_town_scope': ['role'],
  'user.no_department_scope': ['role'],

  // Audit log.
  'audit.outcome_invalid': ['allowed'],
  'audit.action_invalid': [],

  // Registry (companies, trucks, terminals, sites, routes, windows, approvals, zones, towns).
  'registry.not_found': ['kind', 'id'],
  'registry.not_found.company': ['kind', 'id'],
  'registry.not_found.truck': ['kind', 'id'],
  'registry.not_found.terminal': ['kind', 'id'],
  'registry.not_found.approval': ['kind', 'id'],
  'registry.not_found.time_window': ['kind', 'id'],
  'registry.not_found.construction_site': ['kind', 'id'],
  'registry.not_found.disposal_site': ['kind', 'id'],
  'registry.not_found.route': ['kind', 'id'],
  'registry.not_found.speed_zone': ['kind', 'id'],
  'registry.invalid_field': ['field'],
  'registry.duplicate': ['field'],
  'registry.in_use': [],
  'registry.conflict': ['field'],
  'registry.credit_code_invalid': ['field', 'creditCode'],
  'registry.phone_invalid': ['field'],
  'registry.terminal_id_invalid': ['field'],
  'registry.sim_invalid': ['field'],
  'registry.terminal_id_immutable': ['field'],
  'registry.terminal_bound': ['terminalId', 'plate'],
  'registry.terminal_not_bound': ['terminalId'],
  'registry.truck_unknown': ['truckId'],
  'registry.truck_has_terminal': ['plate', 'terminalId'],
  'registry.crs_unknown': ['field'],
  'registry.crs_conflict': [],
  'registry.geometry_invalid': ['field'],
  'registry.geometry_invalid.self_intersection': ['field', 'rule', 'location'],
  'registry.geometry_too_complex': ['field'],
  'registry.geometry_too_large': ['field', 'limit'],
  'registry.town_unknown': ['field', 'code'],
  'registry.not_feature_collection': [],

  // Terminal credentials.
  'terminal.not_found': ['terminalId'],

  // Violation cases (apps/api/src/compliance/, the case workflow).
  'case.not_found': [],
  'case.illegal_transition': ['state', 'allowed'],
  'case.version_conflict': ['currentVersion'],
  'case.action_forbidden': ['action'],
  'case.field_required': ['action', 'field'],
  'case.field_invalid': ['action', 'field'],
  'department.unknown': ['departmentCode'],
  'department.not_found': ['departmentCode'],
  'department.code_taken': ['departmentCode'],
  'department.name_taken': ['name'],
  'department.inactive': [],
  'department.in_use': [],
  'attachment.type_not_allowed': ['allowed'],
  'attachment.too_large': ['maxBytes'],
  'attachment.missing': [],
  'attachment.invalid': [],
  'attachment.unknown': [],
  'attachment.not_found': [],
  'case.duplicate_item': ['id'],
  'export.too_many_rows': ['total', 'max'],
  'query.invalid': ['field'],
  'bulk.too_many': ['limit'],

  // Rejected telemetry (GET /rejections).
  'rejections.reason_invalid': ['allowed'],
} as const satisfies Record<string, readonly string[]>;

export type ApiErrorCode = keyof typeof API_ERROR_PARAMS;

export const API_ERROR_MESSAGES: Record<UiLocale, Record<ApiErrorCode, string>> = {
  'zh-CN': {
    'http.400': '请求有误',
    'http.401': '请先登录',
    'http.403': '无权执行此操作',
    'http.404': '未找到该记录',
    'http.409': '操作与当前数据冲突，请刷新后重试',
    'http.413': '提交的内容过大',
    'http.429': '操作过于频繁，请稍后再试',
    'http.500': '服务器内部错误',
    'http.503': '服务暂不可用',

    'input.too_large': '提交的内容超过大小限制',
    'input.unacceptable': '{field} 含有无法接受的内容',
    'input.invalid': '{field} 的值不符合要求',
    'input.invalid.required': '{field} 为必填项',
    'input.invalid.additionalProperties': '{field} 不是可识别的字段',
    'input.invalid.type': '{field} 的类型应为 {type}',
    'input.invalid.enum': '{field} 须为以下之一：{allowed}',
    'input.invalid.const': '{field} 须为 {allowed}',
    'input.invalid.maxLength': '{field} 最多 {limit} 个字符',
    'input.invalid.minLength': '{field} 至少 {limit} 个字符',
    'input.invalid.maximum': '{field} 不得大于 {limit}',
    'input.invalid.minimum': '{field} 不得小于 {limit}',
    'input.invalid.exclusiveMaximum': '{field} 须小于 {limit}',
    'input.invalid.exclusiveMinimum': '{field} 须大于 {limit}',
    'input.invalid.maxItems': '{field} 最多 {limit} 项',
    'input.invalid.minItems': '{field} 至少 {limit} 项',
    'input.invalid.pattern': '{field} 的格式不正确',
    'input.invalid.format': '{field} 须为 {format} 格式',
    'input.invalid.uniqueItems': '{field} 不得有重复项',
    'input.time_invalid': '{field} 须为带时区的 ISO 8601 时间或毫秒时间戳',
    'input.time_out_of_range': '{field} 须在 1970-01-01 至 9999-12-31 之间',
    'input.range_reversed': '开始时间不得晚于结束时间',
    'input.range_too_long': '时间范围最长 {maxDays} 天',
    'input.terminal_id_invalid': '{field} 须为 1–32 位字母、数字、下划线或连字符',
    'input.int_out_of_range': '{field} 须为 {min} 至 {max} 之间的整数',
    'input.text_too_long': '{field} 最多 {max} 个字符',
    'input.body_not_object': '请求内容须为 JSON 对象',
    'input.required': '{field} 为必填项',
    'input.not_string': '{field} 须为文本',
    'input.not_allowed': '{field} 须为以下之一：{allowed}',
    'input.not_boolean': '{field} 须为是或否',
    'input.number_range': '{field} 须为 {min} 至 {max} 之间的数值',
    'input.date_invalid': '{field} 须为日期（YYYY-MM-DD）',
    'input.uuid_invalid': '{field} 须为 UUID',
    'input.uuid_list_invalid': '{field} 须为 UUID 列表',

    'auth.sign_in_required': '请先登录，或登录已过期，请重新登录',
    'auth.role_required': '此操作需要以下角色：{roles}',
    'auth.locked': '登录失败次数过多，请 {minutes} 分钟后再试',
    'auth.wrong_credentials': '用户名或密码错误',
    'auth.no_session': '会话无效，请重新登录',
    'auth.session_ended': '会话已结束，请重新登录',
    'auth.current_password_wrong': '当前密码不正确',
    'password.too_short': '密码至少 {min} 个字符',
    'password.too_long': '密码最多 {max} 个字符',
    'password.too_few_classes': '密码须包含小写字母、大写字母、数字、符号中的至少 {classes} 类',
    'password.contains_username': '密码不得包含用户名',

    'user.not_found': '用户不存在',
    'user.username_taken': '用户名 {username} 已被占用',
    'user.last_admin': '不能停用或降级最后一个有效的系统管理员',
    'user.town_required': '镇街工作人员须指定所属镇街',
    'user.town_unknown': '镇街 {townCode} 不存在',
    'user.department_required': '执法人员须指定所属部门',
    'user.no_town_scope': '该角色没有镇街范围',
    'user.no_department_scope': '该角色没有部门范围',

    'audit.outcome_invalid': '结果须为以下之一：{allowed}',
    'audit.action_invalid': '操作须为形如 user.update 的操作名',

    'registry.not_found': '记录 {id} 不存在',
    'registry.not_found.company': '运输企业不存在',
    'registry.not_found.truck': '车辆不存在',
    'registry.not_found.terminal': '终端 {id} 不存在',
    'registry.not_found.approval': '核准记录不存在',
    'registry.not_found.time_window': '时段方案不存在',
    'registry.not_found.construction_site': '工地不存在',
    'registry.not_found.disposal_site': '消纳场不存在',
    'registry.not_found.route': '核准路线不存在',
    'registry.not_found.speed_zone': '限速区不存在',
    'registry.invalid_field': '{field} 的值无效',
    'registry.duplicate': '{field} 已被登记',
    'registry.in_use': '仍被其他记录引用，请先解除引用',
    'registry.conflict': '{field} 与现有登记冲突',
    'registry.credit_code_invalid': '{creditCode} 不是有效的统一社会信用代码',
    'registry.phone_invalid': '{field} 须为电话号码',
    'registry.terminal_id_invalid': '终端号须为 1–32 位字母、数字、下划线或连字符',
    'registry.sim_invalid': 'SIM 卡号须为 11–20 位数字',
    'registry.terminal_id_immutable': '终端号不可修改，请登记新终端',
    'registry.terminal_bound': '终端 {terminalId} 已绑定车辆 {plate}，请先解绑',
    'registry.terminal_not_bound': '终端 {terminalId} 未绑定车辆',
    'registry.truck_unknown': '车辆 {truckId} 不存在',
    'registry.truck_has_terminal': '车辆 {plate} 已安装终端 {terminalId}，请先解绑',
    'registry.crs_unknown': '{field} 须声明 WGS-84 或 GCJ-02 坐标系',
    'registry.crs_conflict': 'crs 参数与请求内容中的坐标系不一致',
    'registry.geometry_invalid': '{field} 的几何图形无效',
    'registry.geometry_invalid.self_intersection': '图形自相交（位置 {location}），请调整轮廓',
    'registry.geometry_too_complex': '{field} 的图形过于复杂，请简化',
    'registry.geometry_too_large': '{field} 超过上限（{limit}）',
    'registry.town_unknown': '镇街代码 {code} 不存在',
    'registry.not_feature_collection': '请求内容须为 GeoJSON FeatureCollection',

    'terminal.not_found': '登记中没有终端 {terminalId}',

    'case.not_found': '案件不存在',
    'case.illegal_transition': '案件当前状态为 {state}，只能执行：{allowed}',
    'case.version_conflict': '案件已被他人修改（当前版本 {currentVersion}），请刷新后重试',
    'case.action_forbidden': '您无权对该案件执行「{action}」',
    'case.field_required': '执行「{action}」须填写 {field}',
    'case.field_invalid': '执行「{action}」时 {field} 的值无效',
    'department.unknown': '执法部门 {departmentCode} 不存在或已停用',
    'department.not_found': '执法部门 {departmentCode} 不存在',
    'department.code_taken': '部门编码 {departmentCode} 已存在',
    'department.name_taken': '部门名称“{name}”已存在',
    'department.inactive': '该部门已停用',
    'department.in_use': '该部门仍有案件或人员，不能删除',
    'attachment.type_not_allowed': '只能上传以下类型的附件：{allowed}',
    'attachment.too_large': '附件过大，最大 {maxBytes} 字节',
    'attachment.missing': '请选择要上传的文件',
    'attachment.invalid': '附件上传的格式不正确',
    'attachment.unknown': '附件不属于该案件，或已用于其他记录',
    'attachment.not_found': '附件不存在',
    'case.duplicate_item': '案件 {id} 在本次批量操作中重复',
    'export.too_many_rows': '筛选结果共 {total} 条，超过导出上限 {max} 条，请缩小筛选范围',
    'query.invalid': '查询条件 {field} 无效',
    'bulk.too_many': '一次最多处理 {limit} 条',

    'rejections.reason_invalid': '拒收原因须为以下之一：{allowed}',
  },
  en: {
    'http.400': 'Bad request',
    'http.401': 'Please sign in',
    'http.403': 'You may not do this',
    'http.404': 'Not found',
    'http.409': 'This clashes with the current data; reload and try again',
    'http.413': 'The request is too large',
    'http.429': 'Too many requests; try again later',
    'http.500': 'Internal server error',
    'http.503': 'Service unavailable',

    'input.too_large': 'The request is larger than the limit',
    'input.unacceptable': '{field} holds content that cannot be accepted',
    'input.invalid': '{field} is invalid',
    'input.invalid.required': '{field} is required',
    'input.invalid.additionalProperties': '{field} is not a known field',
    'input.invalid.type': '{field} must be of type {type}',
    'input.invalid.enum': '{field} must be one of: {allowed}',
    'input.invalid.const': '{field} must be {allowed}',
    'input.invalid.maxLength': '{field} must be at most {limit} characters',
    'input.invalid.minLength': '{field} must be at least {limit} characters',
    'input.invalid.maximum': '{field} must be at most {limit}',
    'input.invalid.minimum': '{field} must be at least {limit}',
    'input.invalid.exclusiveMaximum': '{field} must be below {limit}',
    'input.invalid.exclusiveMinimum': '{field} must be above {limit}',
    'input.invalid.maxItems': '{field} may have at most {limit} items',
    'input.invalid.minItems': '{field} needs at least {limit} items',
    'input.invalid.pattern': '{field} is not in the expected format',
    'input.invalid.format': '{field} must be a {format}',
    'input.invalid.uniqueItems': '{field} must not repeat items',
    'input.time_invalid': '{field} must be an ISO 8601 time with an offset or epoch milliseconds',
    'input.time_out_of_range': '{field} must be a time from 1970-01-01 to 9999-12-31',
    'input.range_reversed': 'The start must not be after the end',
    'input.range_too_long': 'The range may span at most {maxDays} days',
    'input.terminal_id_invalid': '{field} must be 1–32 of letters, digits, _ or -',
    'input.int_out_of_range': '{field} must be an integer from {min} to {max}',
    'input.text_too_long': '{field} must be at most {max} characters',
    'input.body_not_object': 'The body must be a JSON object',
    'input.required': '{field} is required',
    'input.not_string': '{field} must be text',
    'input.not_allowed': '{field} must be one of: {allowed}',
    'input.not_boolean': '{field} must be true or false',
    'input.number_range': '{field} must be a number from {min} to {max}',
    'input.date_invalid': '{field} must be a date YYYY-MM-DD',
    'input.uuid_invalid': '{field} must be a UUID',
    'input.uuid_list_invalid': '{field} must be a list of UUIDs',

    'auth.sign_in_required': 'Sign in first, or again: the session is missing or expired',
    'auth.role_required': 'This needs the role {roles}',
    'auth.locked': 'Too many failed sign-ins: try again in {minutes} min',
    'auth.wrong_credentials': 'Wrong username or password',
    'auth.no_session': 'No valid session: sign in again',
    'auth.session_ended': 'Session ended: sign in again',
    'auth.current_password_wrong': 'The current password is wrong',
    'password.too_short': 'The password must be at least {min} characters',
    'password.too_long': 'The password must be at most {max} characters',
    'password.too_few_classes': 'The password must mix at least {classes} of: lower case, upper case, digits, symbols',
    'password.contains_username': 'The password must not contain the username',

    'user.not_found': 'No such user',
    'user.username_taken': 'The username {username} is taken',
    'user.last_admin': 'The last active admin cannot be disabled or demoted',
    'user.town_required': 'A town official needs a town',
    'user.town_unknown': 'No town {townCode}',
    'user.department_required': 'An enforcement officer needs a department',
    'user.no_town_scope': 'This role has no town scope',
    'user.no_department_scope': 'This role has no department scope',

    'audit.outcome_invalid': 'The outcome must be one of: {allowed}',
    'audit.action_invalid': 'The action must be a dotted action name such as user.update',

    'registry.not_found': 'Record {id} not found',
    'registry.not_found.company': 'Transport company not found',
    'registry.not_found.truck': 'Truck not found',
    'registry.not_found.terminal': 'Terminal {id} not found',
    'registry.not_found.approval': 'Approval not found',
    'registry.not_found.time_window': 'Time window schedule not found',
    'registry.not_found.construction_site': 'Construction site not found',
    'registry.not_found.disposal_site': 'Disposal site not found',
    'registry.not_found.route': 'Approved route not found',
    'registry.not_found.speed_zone': 'Speed-limit zone not found',
    'registry.invalid_field': '{field} is invalid',
    'registry.duplicate': '{field} is already registered',
    'registry.in_use': 'Still referred to by other records; remove those references first',
    'registry.conflict': '{field} clashes with the registry',
    'registry.credit_code_invalid': '{creditCode} is not a valid unified social credit code',
    'registry.phone_invalid': '{field} must be a telephone number',
    'registry.terminal_id_invalid': 'The terminal id must be 1–32 of letters, digits, _ or -',
    'registry.sim_invalid': 'The SIM number must be 11–20 digits',
    'registry.terminal_id_immutable': 'A terminal id cannot change; register a new terminal instead',
    'registry.terminal_bound': 'Terminal {terminalId} is bound to {plate}; unbind it first',
    'registry.terminal_not_bound': 'Terminal {terminalId} is not bound to a truck',
    'registry.truck_unknown': 'No truck {truckId}',
    'registry.truck_has_terminal': 'Truck {plate} carries terminal {terminalId}; unbind that first',
    'registry.crs_unknown': '{field} must declare WGS-84 or GCJ-02',
    'registry.crs_conflict': "The crs parameter contradicts the body's crs member",
    'registry.geometry_invalid': '{field} is not a valid geometry',
    'registry.geometry_invalid.self_intersection': 'The outline has a self-intersection at {location}',
    'registry.geometry_too_complex': '{field} is too complex to validate; simplify the outline',
    'registry.geometry_too_large': '{field} exceeds the limit ({limit})',
    'registry.town_unknown': 'No town or street with code {code}',
    'registry.not_feature_collection': 'The body must be a GeoJSON FeatureCollection',

    'terminal.not_found': 'No terminal {terminalId} in the registry',

    'case.not_found': 'No such case',
    'case.illegal_transition': 'The case is {state}; allowed now: {allowed}',
    'case.version_conflict': 'Someone else changed the case (now version {currentVersion}); reload and try again',
    'case.action_forbidden': 'You may not {action} this case',
    'case.field_required': '{action} needs {field}',
    'case.field_invalid': '{field} is invalid for {action}',
    'department.unknown': 'No active department {departmentCode}',
    'department.not_found': 'No department {departmentCode}',
    'department.code_taken': 'A department with the code {departmentCode} exists',
    'department.name_taken': 'A department named {name} exists',
    'department.inactive': 'The department is inactive',
    'department.in_use': 'The department still has cases or staff',
    'attachment.type_not_allowed': 'Only these attachment types are allowed: {allowed}',
    'attachment.too_large': 'The attachment is too large (at most {maxBytes} bytes)',
    'attachment.missing': 'Choose a file to upload',
    'attachment.invalid': 'The upload is malformed',
    'attachment.unknown': 'The attachment is not this case’s, or is already on another entry',
    'attachment.not_found': 'No such attachment',
    'case.duplicate_item': 'Case {id} appears twice in this bulk action',
    'export.too_many_rows': 'The filter matches {total} cases, more than the export limit of {max}; narrow it',
    'query.invalid': 'The query parameter {field} is invalid',
    'bulk.too_many': 'At most {limit} at once',

    'rejections.reason_invalid': 'The reason must be one of: {allowed}',
  },
};

const PLACEHOLDER = /\{(\w+)\}/g;

/** The `{name}` placeholders of a template. */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

function paramText(value: unknown, locale: UiLocale): string {
  if (Array.isArray(value)) return value.map((v) => paramText(v, locale)).join(locale === 'zh-CN' ? '、' : ', ');
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The sentence for an ApiError in `locale`: its code's template (or the variant named by
 * `params.rule` / `params.kind`) with the params filled in; the English `message` for a code the
 * catalogue does not know or a template whose params did not all come.
 */
export function renderApiError(
  error: { code?: string | null; params?: Record<string, unknown> | null; message?: string | null },
  locale: UiLocale,
): string {
  const templates = API_ERROR_MESSAGES[locale] as Record<string, string>;
  const params = error.params ?? {};
  const fallback = error.message ?? '';
  if (!error.code) return fallback;
  const variant = params['rule'] ?? params['kind'];
  const template = (typeof variant === 'string' ? templates[`${error.code}.${variant}`] : undefined) ?? templates[error.code];
  if (template === undefined) return fallback;
  let missing = false;
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    if (!(name in params)) {
      missing = true;
      return '';
    }
    return paramText(params[name], locale);
  });
  return missing ? fallback || text : text;
}
