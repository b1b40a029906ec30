/** 简体中文 — the default catalog; en-US must have the same keys (checked by its type). */
import { sharingZh } from './zh-CN.sharing';
import { poolZh, qualityZh } from './zh-CN.pool';
import { catalogZh } from './zh-CN.catalog';
const zhCN = {
  app: { name: '公数', tagline: '公共数据管理与共享平台', skip: '跳到主要内容' },
  common: {
    save: '保存', cancel: '取消', create: '新建', edit: '编辑', search: '查询', reset: '重置', close: '关闭', confirm: '确定',
    actions: '操作', yes: '是', no: '否', loading: '加载中…', none: '无', all: '全部', details: '详情', back: '返回', copy: '复制',
    copied: '已复制', total: '共 {{total}} 条', totalOver: '超过 {{total}} 条', saved: '已保存', optional: '选填', refresh: '刷新',
  },
  error: {
    network: '无法连接服务器，请检查网络后重试。', http: '请求失败（HTTP {{status}}）', load: '加载失败',
    notFoundTitle: '未找到', notFound: '您要找的内容不存在，或不在您的权限范围内。',
    forbiddenTitle: '无权访问', forbidden: '您的角色不能访问此页面。', home: '回到工作台',
  },
  lang: { label: '界面语言', zh: '中文', en: 'English' },
  login: {
    title: '登录', username: '用户名', password: '密码', submit: '登录', usernameRequired: '请输入用户名', passwordRequired: '请输入密码',
    invalid: '用户名或密码错误。', attemptsLeft: '再输错 {{n}} 次账号将被锁定。', locked: '账号已被锁定，请于 {{time}} 之后再试，或联系管理员解锁。',
    lockedNoTime: '账号已被锁定，请稍后再试或联系管理员。', disabled: '账号已停用，请联系管理员。', rateLimited: '尝试过于频繁，请稍后再试。',
    expired: '登录已过期或尚未登录，请登录后继续。',
  },
  layout: { user: '当前用户', organisation: '所属单位', signOut: '退出登录', menu: '主菜单', signedOut: '已退出登录' },
  menu: { home: '工作台', audit: '审计', admin: '系统管理', orgs: '组织机构', users: '用户', clients: 'API 客户端' },
  role: {
    platform_admin: '平台管理员', reviewer: '审核员', officer: '数据专员', cdo: '首席数据官', consumer: '数据使用人员', auditor: '审计员', operator: '授权运营人员',
  },
  orgType: { authority: '主管部门', department: '部门', public_enterprise: '公共企事业单位', operator: '授权运营主体', external: '外部单位' },
  home: {
    greeting: '您好，{{name}}', tasks: '我的待办', noTasks: '暂无待办事项', activity: '近 {{days}} 天活动', activityOrg: '本单位',
    activityAll: '全平台', noActivity: '暂无活动记录', outcome: { success: '成功', failure: '失败', denied: '拒绝', error: '错误' },
    chartLabel: '按日统计的审计记录数量',
  },
  org: {
    title: '组织机构', create: '新建机构', createChild: '添加下级', edit: '编辑机构', name: '机构名称', code: '统一社会信用代码', type: '机构类型',
    parent: '上级机构', level: '层级', shortCode: '简称代码', createdAt: '创建时间', noParent: '（无，顶级机构）',
    nameRequired: '请输入机构名称', codeRequired: '请输入统一社会信用代码', typeRequired: '请选择机构类型',
    codeShape: '应为 18 位：数字或大写字母（不含 I、O、S、V、Z）', codeCheck: '校验位不符，按 GB 32100 第 18 位应为 {{expected}}',
    codeOrgCheck: '内含的组织机构代码校验位不符，第 17 位应为 {{expected}}', shortCodeHint: '小写字母开头，2–16 位小写字母或数字',
    codeRefused: '服务器校验未通过：不是有效的统一社会信用代码（GB 32100 校验位）', created: '机构已创建', updated: '机构已更新',
  },
  user: {
    title: '用户', create: '新建用户', edit: '编辑用户', username: '用户名', displayName: '姓名', org: '所属单位', roles: '角色', email: '电子邮箱',
    phone: '手机号码', password: '初始密码', enabled: '启用', status: '状态', locked: '已锁定', active: '正常', disabled: '已停用',
    lastLoginAt: '最近登录', createdAt: '创建时间', searchPlaceholder: '用户名或姓名', resetPassword: '重置密码',
    resetConfirm: '为 {{name}} 生成新密码？原密码将立即失效。', newPasswordTitle: '新密码', newPasswordNote: '请把此密码安全地交给用户。它只显示这一次，关闭后无法再查看。',
    usernameRule: '小写字母或数字开头，2–63 位小写字母、数字、. _ -', passwordRule: '至少 8 位，且同时包含字母和数字',
    rolesRequired: '请至少选择一个角色', orgRequired: '请选择所属单位', displayNameRequired: '请输入姓名', created: '用户已创建', updated: '用户已更新',
    enableLabel: '启用账号 {{name}}', detailTitle: '用户详情',
  },
  client: {
    title: 'API 客户端', create: '新建客户端', name: '名称', org: '所属单位', roles: '角色', keyPrefix: '密钥前缀', status: '状态', createdAt: '创建时间',
    expiresAt: '到期时间', lastUsedAt: '最近使用', revoke: '吊销', revokeConfirm: '吊销客户端 {{name}}？使用该密钥的系统将立即无法访问。', revoked: '已吊销',
    statusActive: '有效', statusRevoked: '已吊销', statusExpired: '已过期', nameRequired: '请输入名称', keyTitle: 'API 密钥',
    keyNote: '请立即复制并妥善保存此密钥。它只显示这一次，平台只保存其摘要，关闭后无法再查看。', never: '永不过期',
  },
  audit: {
    title: '审计日志', actor: '操作人', actorPlaceholder: '用户名或 ID', org: '单位', action: '操作', actionPlaceholder: '如 auth.login 或 users.*',
    time: '时间范围', at: '时间', target: '对象', outcome: '结果', ip: '来源 IP', requestId: '请求 ID', seq: '序号', hash: '哈希',
    verify: '校验哈希链', verifyOk: '哈希链完整：{{entries}} 条记录全部校验通过。',
    verifyBad: '哈希链已被破坏：第 {{seq}} 条记录校验失败（{{reason}}）。', verifyBadAt: '该记录时间 {{at}}，操作 {{action}}。', verifyTitle: '校验结果',
  },
  sharing: sharingZh,
  pool: poolZh, quality: qualityZh,
  catalog: catalogZh,
};

export default zhCN;
export type Catalog = typeof zhCN;
