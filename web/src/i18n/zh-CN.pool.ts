/** 数据归集 and 数据质量 texts of the zh-CN catalog; en-US.pool.ts has the same keys. */
export const poolZh = {
  menu: { root: '数据归集', resources: '归集资源', overdue: '更新逾期' },
  title: '归集资源', resource: '资源名称', code: '资源代码', rows: '有效数据行', frequency: '更新频率', lastLoaded: '最近入池', quality: '质量', identifier: '标识字段',
  freq: { realtime: '实时', daily: '每日', weekly: '每周', monthly: '每月', quarterly: '每季度', yearly: '每年', irregular: '不定期' },
  mode: { append: '追加', upsert: '按标识更新', snapshot: '全量替换' },
  status: { running: '装载中', committed: '已入池', rejected: '整批拒绝', failed: '失败' },
  upload: {
    title: '上传数据', strict: '严格模式', drop: '点击或拖拽文件到此处上传', hint: '支持 CSV、XLSX、NDJSON、JSON；整批提交或整批回滚，不合规数据行单独列出',
    checking: '校验入池中…', done: '批次已提交', format: '不支持的文件类型', network: '网络中断，可重新上传（同一文件只会入池一次）',
  },
  batch: {
    title: '装载批次', one: '批次', back: '返回资源', open: '查看批次', startedAt: '开始时间', status: '状态', mode: '方式', file: '文件', received: '接收', accepted: '入池', rejected: '不合规',
    by: '操作人', changes: '变更', changeText: '新增 {{inserted}}，更新 {{updated}}，删除 {{deleted}}，未变 {{unchanged}}', duration: '耗时', error: '原因',
  },
  detect: {
    title: '个人信息识别', hint: '抽样数据中识别出的个人信息字段及建议的敏感级别和脱敏方式，请逐项采纳或修改。', none: '抽样数据中未识别出个人信息',
    field: '字段', kind: '识别为', share: '占比', sampled: '抽样行数', proposed: '建议', source: '来源', status: '状态', actions: '操作',
    sources: { batch: '首批数据', registration: '登记时抽样' }, statuses: { proposed: '待确认', accepted: '已采纳', changed: '已修改' },
    accept: '采纳', change: '修改', save: '确定', saved: '已写入目录第 {{version}} 版草稿，提交审核并发布后生效', pending: '{{count}} 个字段待确认识别结果', savedAlready: '目录第 {{version}} 版已是如此', savedNotInCatalog: '已记录；目录正在审核中，未写入目录', sensitivity: '敏感级别', masking: '脱敏方式',
  },
  rejected: { title: '不合规数据行', download: '下载 CSV', none: '没有不合规数据行', row: '行号', field: '字段', rule: '规则', value: '值' },
  rule: {
    required: '必填', type: '类型不符', length: '超长', pattern: '格式不符', enum: '不在取值范围', range: '超出数值范围', uscc: '统一社会信用代码校验位错误',
    id_card: '身份证号码校验错误', mobile: '手机号码无效', bank_card: '银行卡号校验错误', unique: '标识已存在', unique_in_batch: '批次内标识重复',
    unknown_field: '未知字段', malformed_json: '无法解析的行', not_an_object: '不是对象',
  },
};

export const qualityZh = {
  title: '数据质量', toPool: '归集与批次', overTime: '质量评分趋势', rules: '最近批次的规则检查', violations: '违反次数', noViolations: '最近批次没有违反规则',
  score: { completeness: '完整性', accuracy: '准确性', consistency: '一致性', timeliness: '及时性', overall: '综合' },
  overdueNotice: '数据已超过声明的更新频率未更新（最近入池：{{at}}），请尽快更新。',
  overdueTitle: '更新逾期的资源', noOverdue: '没有逾期未更新的资源', provider: '数源部门', dueAt: '应更新时间', daysOverdue: '逾期天数',
};
