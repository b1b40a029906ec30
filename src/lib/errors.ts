/**
 * Every error the API can answer with: HTTP status, messages in Chinese and English, and for a
 * passing condition when to ask again (s).
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数不符合要求', en: 'The request is not valid' },
  BAD_REQUEST: { status: 400, zh: '请求无法处理', en: 'The request cannot be processed' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Sign-in required' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'You may not do this' },
  NOT_FOUND: { status: 404, zh: '对象不存在', en: 'Not found' },
  CONFLICT: { status: 409, zh: '与现有数据冲突', en: 'Conflicts with existing data' },
  RESOURCE_STATE: {
    status: 409,
    zh: '目录当前状态不允许此操作',
    en: 'The catalog entry’s status does not allow this',
  },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '登录失败次数过多，账户已临时锁定',
    en: 'Too many failed sign-ins; the account is locked for a while',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账户已停用', en: 'The account is disabled' },
  RATE_LIMITED: {
    status: 429,
    zh: '请求过于频繁，请稍后再试',
    en: 'Too many requests; try again later',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  SHARE_NOT_REQUESTABLE: {
    status: 403,
    zh: '该资源的共享类型不允许申请',
    en: 'This resource cannot be requested under its share type',
  },
  SHARE_SCOPE_EXCEEDED: {
    status: 403,
    zh: '超出共享通道授权范围',
    en: 'Outside the scope the channel grants',
  },
  CHANNEL_NOT_ACTIVE: {
    status: 403,
    zh: '共享通道不可用（已暂停、冻结、撤销或过期）',
    en: 'The channel is suspended, frozen, revoked or expired',
  },
  BATCH_FAILED: {
    status: 422,
    zh: '批次未能装载，没有数据入池',
    en: 'The batch could not be loaded; nothing was loaded',
  },
  BATCH_REJECTED: {
    status: 422,
    zh: '严格模式下批次含不合规数据行，整批未入池',
    en: 'Strict mode: the batch has rows that break rules, so none was loaded',
  },
  BATCH_IN_PROGRESS: {
    status: 409,
    zh: '同一幂等键的批次正在装载',
    en: 'A batch with this idempotency key is still loading',
  },
  RESOURCE_BUSY: {
    status: 503,
    zh: '数据正在装载或维护，请稍后重试',
    en: 'The data is being loaded or maintained; try again shortly',
    retryAfter: 5,
  },
  QUERY_TIMEOUT: {
    status: 503,
    zh: '请求处理时间过长，已被停止；请稍后重试或缩小查询范围',
    en: 'The request took too long and was stopped; try again later or ask for less',
  },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },
} as const satisfies Record<
  string,
  { status: number; zh: string; en: string; retryAfter?: number }
>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error meant for the API client: a code, its status and details naming what was wrong. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, unknown> = {},
    message?: string,
  ) {
    super(message ?? ERROR_CODES[code].en);
    this.status = ERROR_CODES[code].status;
  }
}

/** Shorthand for the 400 a service throws when input breaks a rule a schema cannot express. */
export function invalid(
  field: string,
  rule: string,
  extra: Record<string, unknown> = {},
): AppError {
  return new AppError('VALIDATION_FAILED', { field, rule, ...extra });
}

export const notFound = (): AppError => new AppError('NOT_FOUND');

/** Turns a unique-constraint name from PostgreSQL into the field a client sent. */
const CONSTRAINT_FIELDS: Record<string, string> = {
  organisations_code_key: 'code',
  organisations_short_code_key: 'shortCode',
  users_username_key: 'username',
  resources_code_key: 'code',
  resources_provider_name_key: 'name',
  systems_org_name_key: 'name',
  system_tables_name_key: 'name',
  registered_datasets_name_key: 'name',
  function_data_items_key: 'dataName',
};

/**
 * Translates database errors the client caused (unique, foreign key) into AppErrors; others pass
 * through.
 */
export function fromDatabaseError(err: unknown): unknown {
  const e = err as { code?: string; constraint?: string };
  if (e?.code === '23505') {
    return new AppError('CONFLICT', {
      field: CONSTRAINT_FIELDS[e.constraint ?? ''] ?? e.constraint,
      rule: 'unique',
    });
  }
  if (e?.code === '23503') {
    return new AppError('VALIDATION_FAILED', { field: e.constraint, rule: 'reference' });
  }
  if (e?.code === '55P03') return new AppError('RESOURCE_BUSY', { rule: 'lock_timeout' });
  // a statement cancelled: it ran past the statement timeout, or an operator stopped it
  if (e?.code === '57014') return new AppError('QUERY_TIMEOUT');
  return err;
}
