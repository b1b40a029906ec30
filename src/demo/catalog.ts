/**
 * The demo city’s catalog: 43 entries across the eight departments, made through the catalog and
 * registry services as the people would. Each department registers its business system and the
 * tables behind its entries; most entries are published (and get their pool tables), some wait
 * for approval, some are still drafts, one is approved and waits for the platform admin.
 */
import type { Tx } from '../db/pool.js';
import {
  createResource,
  transitionResource,
  getPoolResource,
  type CatalogField,
} from '../modules/catalog/index.js';
import {
  createSystem,
  createTable,
  updateSystem,
  createDataset,
  createFunctionItem,
  decideFunctionList,
  submitFunctionList,
} from '../modules/registry/index.js';
import { ensurePoolTable } from '../modules/pool/index.js';
import type { Actor } from '../modules/identity/index.js';
import { getProfile, type ProfileId } from '../modules/profiles/index.js';
import { demoActor as actor } from './actor.js';

type Field = CatalogField;
const str = (name: string, label: string, length = 100, extra: Partial<Field> = {}): Field => ({
  name,
  label,
  type: 'string',
  length,
  required: false,
  sensitivity: 'internal',
  ...extra,
});
const req = (f: Field): Field => ({ ...f, required: true });
const date = (name: string, label: string): Field => ({
  name,
  label,
  type: 'date',
  required: false,
  sensitivity: 'internal',
});
const int = (name: string, label: string): Field => ({
  name,
  label,
  type: 'integer',
  required: false,
  sensitivity: 'internal',
});
const dec = (name: string, label: string): Field => ({
  name,
  label,
  type: 'decimal',
  length: 18,
  required: false,
  sensitivity: 'internal',
});
const pub = (f: Field): Field => ({ ...f, sensitivity: 'public' });
const F = {
  idCard: (label = '公民身份号码', name = 'id_card_no') =>
    req(
      str(name, label, 18, {
        sensitivity: 'personal',
        piiKind: 'id_card',
        masking: 'partial',
        validator: 'id_card',
      }),
    ),
  name: (label = '姓名', name = 'full_name') =>
    req(str(name, label, 50, { sensitivity: 'personal', piiKind: 'name', masking: 'partial' })),
  mobile: (label = '联系电话') =>
    str('mobile', label, 20, { sensitivity: 'personal', piiKind: 'mobile', masking: 'partial' }),
  address: (label = '住址', name = 'address') =>
    str(name, label, 200, { sensitivity: 'personal', piiKind: 'address', masking: 'generalise' }),
  uscc: (label = '统一社会信用代码') => req(pub(str('uscc', label, 18, { validator: 'uscc' }))),
  orgName: (label = '单位名称') => req(pub(str('org_name', label, 200))),
  plate: () =>
    req(
      str('plate_no', '号牌号码', 16, {
        sensitivity: 'personal',
        piiKind: 'plate',
        masking: 'partial',
      }),
    ),
};

type Kind = 'unconditional' | 'conditional' | 'not-shared';
type Status = 'published' | 'submitted' | 'approved' | 'draft';
interface Spec {
  name: string;
  table: string;
  category: string;
  share: Kind;
  open?: 'open' | 'conditional_open' | 'not_open';
  level: 'general' | 'important' | 'core';
  freq: 'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';
  id: 'id_card' | 'uscc' | 'coordinate' | 'unified_code' | 'none';
  idField?: string;
  summary: string;
  keywords: string[];
  fields: Field[];
  status?: Status;
  basis?: string;
}
interface Department {
  short: string;
  system: string;
  owner: string;
  basis: string;
  entries: Spec[];
}

const DEPARTMENTS: Department[] = [
  {
    short: 'gaj',
    system: '人口信息管理系统',
    owner: '科技信息化处',
    basis: '《中华人民共和国居民身份证法》《户口登记条例》',
    entries: [
      {
        name: '人口基础信息',
        table: 'rk_jbxx',
        category: '0101',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        summary:
          '本市户籍人口和登记在册常住人口的基础身份信息，包括公民身份号码、姓名、性别、民族、出生日期、户籍地址等。',
        keywords: ['户籍', '身份核验', '人口库'],
        fields: [
          F.idCard(),
          F.name(),
          str('gender', '性别', 2, { enumValues: ['男', '女'] }),
          str('ethnicity', '民族', 20),
          date('birth_date', '出生日期'),
          F.address('户籍地址', 'household_address'),
          str('household_type', '户口类别', 20),
        ],
      },
      {
        name: '居住证信息',
        table: 'jzz_xx',
        category: '0101',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '流动人口申领居住证的登记、签注和有效期信息。',
        keywords: ['流动人口', '居住登记'],
        fields: [
          F.idCard(),
          F.name(),
          str('permit_no', '居住证编号', 30),
          F.address('居住地址'),
          date('issue_date', '签发日期'),
          date('expiry_date', '有效期至'),
        ],
      },
      {
        name: '出生登记信息',
        table: 'csdj_xx',
        category: '0101',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '新生儿出生户口登记信息，用于出生“一件事”联办。',
        keywords: ['出生', '落户', '一件事'],
        fields: [
          F.idCard('新生儿公民身份号码'),
          F.name('新生儿姓名'),
          date('birth_date', '出生日期'),
          F.idCard('母亲公民身份号码', 'mother_id_card_no'),
          date('register_date', '登记日期'),
        ],
      },
      {
        name: '死亡注销户口信息',
        table: 'swzx_xx',
        category: '0101',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '因死亡注销户口的人员信息，用于养老金停发、医保停保等业务比对。',
        keywords: ['死亡', '注销', '停发'],
        fields: [
          F.idCard(),
          F.name(),
          date('death_date', '死亡日期'),
          date('cancel_date', '注销日期'),
        ],
      },
      {
        name: '机动车驾驶证信息',
        table: 'jsz_xx',
        category: '0206',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        status: 'submitted',
        summary: '机动车驾驶人准驾车型、初次领证日期、记分与状态信息。',
        keywords: ['驾驶证', '驾驶人'],
        fields: [
          F.idCard(),
          F.name(),
          str('licence_class', '准驾车型', 10),
          date('first_issue_date', '初次领证日期'),
          int('points', '累积记分'),
          str('licence_status', '驾驶证状态', 10),
        ],
      },
      {
        name: '重点场所治安管理信息',
        table: 'zdcs_xx',
        category: '0206',
        share: 'not-shared',
        level: 'core',
        freq: 'irregular',
        id: 'uscc',
        idField: 'uscc',
        status: 'draft',
        summary: '旅馆业、娱乐场所等特种行业治安管理检查记录，涉及执法工作秘密，不予共享。',
        keywords: ['治安', '特种行业'],
        basis: '《中华人民共和国人民警察法》第六条；涉及公安执法工作秘密',
        fields: [
          F.uscc(),
          F.orgName('场所名称'),
          date('check_date', '检查日期'),
          str('check_result', '检查结果', 500),
        ],
      },
    ],
  },
  {
    short: 'scjg',
    system: '市场主体登记管理系统',
    owner: '信息中心',
    basis: '《中华人民共和国市场主体登记管理条例》',
    entries: [
      {
        name: '市场主体登记信息',
        table: 'scztdj',
        category: '0102',
        share: 'unconditional',
        open: 'conditional_open',
        level: 'general',
        freq: 'daily',
        id: 'uscc',
        idField: 'uscc',
        summary: '企业、个体工商户、农民专业合作社等市场主体的设立、变更、注销登记信息。',
        keywords: ['企业登记', '工商登记', '营业执照', '法人库'],
        fields: [
          F.uscc(),
          F.orgName('市场主体名称'),
          pub(str('entity_type', '市场主体类型', 50)),
          F.name('法定代表人', 'legal_rep'),
          F.idCard('法定代表人证件号码', 'legal_rep_id_card'),
          dec('registered_capital', '注册资本（万元）'),
          date('established_on', '成立日期'),
          pub(str('domicile', '住所', 200)),
          pub(str('business_scope', '经营范围', 2000)),
          pub(str('reg_status', '登记状态', 20)),
        ],
      },
      {
        name: '行政处罚信息',
        table: 'xzcf',
        category: '0105',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'daily',
        id: 'uscc',
        idField: 'uscc',
        summary: '市场监管部门作出的行政处罚决定，依法公示。',
        keywords: ['处罚', '信用', '公示'],
        fields: [
          F.uscc(),
          F.orgName('当事人名称'),
          pub(str('decision_no', '处罚决定书文号', 100)),
          pub(str('violation', '违法行为类型', 200)),
          pub(str('penalty', '处罚内容', 1000)),
          date('decision_date', '处罚决定日期'),
        ],
      },
      {
        name: '食品经营许可信息',
        table: 'spjyxk',
        category: '0104',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'daily',
        id: 'uscc',
        idField: 'uscc',
        summary: '食品经营许可证核发、变更、延续、注销信息。',
        keywords: ['食品', '许可证', '电子证照'],
        fields: [
          F.uscc(),
          F.orgName('经营者名称'),
          pub(str('licence_no', '许可证编号', 30)),
          pub(str('business_items', '经营项目', 500)),
          date('valid_from', '有效期起'),
          date('valid_to', '有效期至'),
        ],
      },
      {
        name: '经营异常名录信息',
        table: 'jyycml',
        category: '0105',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'daily',
        id: 'uscc',
        idField: 'uscc',
        summary: '列入和移出经营异常名录的市场主体及原因。',
        keywords: ['异常名录', '信用监管'],
        fields: [
          F.uscc(),
          F.orgName('市场主体名称'),
          pub(str('reason', '列入原因', 200)),
          date('listed_on', '列入日期'),
          date('removed_on', '移出日期'),
        ],
      },
      {
        name: '特种设备信息',
        table: 'tzsb',
        category: '0205',
        share: 'conditional',
        level: 'general',
        freq: 'monthly',
        id: 'unified_code',
        idField: 'device_code',
        status: 'submitted',
        summary: '电梯、锅炉、压力容器等特种设备使用登记与定期检验信息。',
        keywords: ['电梯', '特种设备', '检验'],
        fields: [
          req(str('device_code', '设备代码', 30)),
          str('device_type', '设备类别', 50),
          F.uscc('使用单位统一社会信用代码'),
          str('location', '设备使用地点', 200),
          date('next_check', '下次检验日期'),
        ],
      },
    ],
  },
  {
    short: 'rsj',
    system: '社会保险经办系统',
    owner: '信息中心',
    basis: '《中华人民共和国社会保险法》',
    entries: [
      {
        name: '社保参保信息',
        table: 'sb_cbxx',
        category: '0201',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '职工和城乡居民参加养老、医疗、失业、工伤、生育保险的参保状态和缴费基数。',
        keywords: ['社保', '参保证明', '养老保险'],
        fields: [
          F.idCard(),
          F.name(),
          str('insurance_type', '险种', 20, {
            enumValues: ['养老', '医疗', '失业', '工伤', '生育'],
          }),
          str('status', '参保状态', 10),
          F.uscc('参保单位统一社会信用代码'),
          dec('contribution_base', '缴费基数'),
          date('start_date', '参保日期'),
        ],
      },
      {
        name: '社保缴费信息',
        table: 'sb_jfxx',
        category: '0201',
        share: 'conditional',
        level: 'important',
        freq: 'monthly',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '参保人员按月缴费记录。',
        keywords: ['缴费', '社保'],
        fields: [
          F.idCard(),
          str('period', '费款所属期', 6),
          dec('amount', '缴费金额'),
          str('insurance_type', '险种', 20),
        ],
      },
      {
        name: '就业登记信息',
        table: 'jydj',
        category: '0201',
        share: 'conditional',
        level: 'general',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '劳动者就业、失业登记信息。',
        keywords: ['就业', '失业登记'],
        fields: [
          F.idCard(),
          F.name(),
          F.orgName('用人单位名称'),
          date('employed_on', '就业日期'),
          str('employment_form', '就业形式', 20),
        ],
      },
      {
        name: '职业资格证书信息',
        table: 'zyzg',
        category: '0104',
        share: 'unconditional',
        open: 'conditional_open',
        level: 'general',
        freq: 'monthly',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '职业资格和职业技能等级证书核发信息。',
        keywords: ['证书', '技能等级', '电子证照'],
        fields: [
          F.idCard(),
          F.name(),
          str('certificate_no', '证书编号', 40),
          str('occupation', '职业（工种）', 100),
          str('grade', '等级', 20),
        ],
      },
      {
        name: '养老金领取资格认证信息',
        table: 'yljrz',
        category: '0201',
        share: 'conditional',
        level: 'important',
        freq: 'monthly',
        id: 'id_card',
        idField: 'id_card_no',
        status: 'draft',
        summary: '离退休人员领取养老金资格认证结果。',
        keywords: ['养老金', '资格认证'],
        fields: [
          F.idCard(),
          F.name(),
          date('verified_on', '认证日期'),
          str('method', '认证方式', 20),
        ],
      },
    ],
  },
  {
    short: 'swj',
    system: '金税征管系统（地方共享库）',
    owner: '征管科技处',
    basis: '《中华人民共和国税收征收管理法》',
    entries: [
      {
        name: '纳税信用等级',
        table: 'nsxydj',
        category: '0105',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'yearly',
        id: 'uscc',
        idField: 'uscc',
        summary: '纳税人年度纳税信用评价等级（A、B、M、C、D），A 级名单依法公开。',
        keywords: ['纳税信用', '信用评价', 'A级纳税人'],
        fields: [
          F.uscc('纳税人识别号'),
          F.orgName('纳税人名称'),
          pub(str('year', '评价年度', 4)),
          pub(str('grade', '信用等级', 2, { enumValues: ['A', 'B', 'M', 'C', 'D'] })),
        ],
      },
      {
        name: '税务登记信息',
        table: 'swdj',
        category: '0102',
        share: 'unconditional',
        level: 'general',
        freq: 'daily',
        id: 'uscc',
        idField: 'uscc',
        summary: '纳税人税务登记、主管税务机关和登记状态信息。',
        keywords: ['税务登记', '纳税人'],
        fields: [
          F.uscc('纳税人识别号'),
          F.orgName('纳税人名称'),
          str('tax_office', '主管税务机关', 100),
          str('taxpayer_type', '纳税人类型', 20),
          str('reg_status', '登记状态', 20),
        ],
      },
      {
        name: '欠税公告信息',
        table: 'qsgg',
        category: '0105',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'quarterly',
        id: 'uscc',
        idField: 'uscc',
        summary: '依法公告的欠缴税款纳税人及欠税金额。',
        keywords: ['欠税', '公告'],
        fields: [
          F.uscc('纳税人识别号'),
          F.orgName('纳税人名称'),
          pub(str('tax_kind', '欠税税种', 50)),
          { ...dec('amount', '欠税余额（元）'), sensitivity: 'public' },
        ],
      },
      {
        name: '企业纳税信息',
        table: 'qynsxx',
        category: '0207',
        share: 'conditional',
        level: 'important',
        freq: 'monthly',
        id: 'uscc',
        idField: 'uscc',
        summary: '企业按月申报缴纳税款汇总，供产业政策兑现和信贷支持核验。',
        keywords: ['纳税', '营收', '政策兑现'],
        fields: [
          F.uscc('纳税人识别号'),
          str('period', '所属期', 6),
          dec('tax_paid', '实缴税额'),
          dec('revenue', '申报销售收入'),
        ],
      },
      {
        name: '个人所得税纳税记录',
        table: 'grsds',
        category: '0207',
        share: 'not-shared',
        level: 'core',
        freq: 'monthly',
        id: 'id_card',
        idField: 'id_card_no',
        status: 'submitted',
        summary: '个人所得税扣缴记录，涉及纳税人隐私，依法不予共享，仅提供核验。',
        keywords: ['个税', '完税证明'],
        basis: '《中华人民共和国税收征收管理法》第八条：税务机关应当依法为纳税人的情况保密',
        fields: [
          F.idCard(),
          str('period', '所属期', 6),
          dec('tax', '已缴税额'),
          F.uscc('扣缴义务人识别号'),
        ],
      },
    ],
  },
  {
    short: 'wjw',
    system: '全民健康信息平台',
    owner: '卫生健康信息中心',
    basis: '《中华人民共和国基本医疗卫生与健康促进法》',
    entries: [
      {
        name: '出生医学证明信息',
        table: 'csyxzm',
        category: '0104',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'mother_id_card_no',
        summary: '新生儿出生医学证明签发信息。',
        keywords: ['出生证', '电子证照'],
        fields: [
          str('certificate_no', '出生医学证明编号', 20),
          F.name('新生儿姓名'),
          date('birth_date', '出生日期'),
          F.idCard('母亲公民身份号码', 'mother_id_card_no'),
          str('hospital', '接生机构', 200),
        ],
      },
      {
        name: '医疗机构执业信息',
        table: 'yljg',
        category: '0202',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'monthly',
        id: 'uscc',
        idField: 'uscc',
        summary: '医疗机构执业许可、类别、床位数和诊疗科目。',
        keywords: ['医院', '诊所', '执业许可'],
        fields: [
          F.uscc(),
          F.orgName('机构名称'),
          pub(str('category', '机构类别', 50)),
          { ...int('beds', '核定床位'), sensitivity: 'public' },
          pub(str('departments', '诊疗科目', 1000)),
          pub(str('address', '地址', 200)),
        ],
      },
      {
        name: '医师执业注册信息',
        table: 'yszc',
        category: '0202',
        share: 'unconditional',
        open: 'conditional_open',
        level: 'general',
        freq: 'monthly',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '医师执业注册、执业范围和执业机构。',
        keywords: ['医师', '执业注册'],
        fields: [
          F.idCard(),
          F.name(),
          str('licence_no', '执业证书编码', 30),
          str('scope', '执业范围', 100),
          F.orgName('执业机构'),
        ],
      },
      {
        name: '预防接种信息',
        table: 'yfjz',
        category: '0202',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '儿童预防接种记录，用于入托入学查验。',
        keywords: ['疫苗', '接种证', '入学查验'],
        fields: [
          F.idCard(),
          F.name('受种者姓名'),
          str('vaccine', '疫苗名称', 100),
          int('dose', '剂次'),
          date('vaccinated_on', '接种日期'),
        ],
      },
      {
        name: '死亡医学证明信息',
        table: 'swyxzm',
        category: '0202',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        status: 'approved',
        summary: '居民死亡医学证明（推断）书签发信息。',
        keywords: ['死亡证明'],
        fields: [
          F.idCard(),
          F.name(),
          date('death_date', '死亡日期'),
          str('cause', '根本死因', 200, { sensitivity: 'sensitive' }),
        ],
      },
    ],
  },
  {
    short: 'zrzy',
    system: '不动产登记系统',
    owner: '信息中心',
    basis: '《不动产登记暂行条例》',
    entries: [
      {
        name: '不动产登记信息',
        table: 'bdcdj',
        category: '0103',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'unified_code',
        idField: 'unit_no',
        summary: '土地、房屋等不动产的权利人、坐落、面积、用途和登记状态。',
        keywords: ['不动产', '房产', '产权证'],
        fields: [
          req(str('unit_no', '不动产单元号', 28)),
          str('certificate_no', '不动产权证书号', 50),
          F.name('权利人'),
          F.idCard('权利人证件号码', 'owner_id_no'),
          str('location', '坐落', 200),
          dec('area', '面积（平方米）'),
          str('usage', '用途', 50),
          str('mortgage', '抵押状态', 10),
        ],
      },
      {
        name: '国土空间规划信息',
        table: 'gtkjgh',
        category: '0103',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'yearly',
        id: 'coordinate',
        idField: 'plot_code',
        summary: '控制性详细规划地块的用地性质、容积率和边界坐标。',
        keywords: ['规划', '控规', '用地'],
        fields: [
          req(pub(str('plot_code', '地块编码', 30))),
          pub(str('land_use', '用地性质', 50)),
          { ...dec('far', '容积率'), sensitivity: 'public' },
          pub(str('boundary', '边界坐标（WKT）', 20000)),
        ],
      },
      {
        name: '土地出让信息',
        table: 'tdcr',
        category: '0103',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'monthly',
        id: 'unified_code',
        idField: 'parcel_no',
        summary: '国有建设用地使用权出让结果。',
        keywords: ['土地', '出让', '招拍挂'],
        fields: [
          req(pub(str('parcel_no', '宗地编号', 30))),
          pub(str('location', '宗地坐落', 200)),
          { ...dec('price', '成交价（万元）'), sensitivity: 'public' },
          pub(str('winner', '竞得人', 200)),
          date('deal_date', '成交日期'),
        ],
      },
      {
        name: '测绘资质信息',
        table: 'chzz',
        category: '0104',
        share: 'unconditional',
        level: 'general',
        freq: 'quarterly',
        id: 'uscc',
        idField: 'uscc',
        summary: '测绘资质证书及专业范围。',
        keywords: ['测绘', '资质'],
        fields: [
          F.uscc(),
          F.orgName(),
          str('grade', '资质等级', 10),
          str('scope', '专业范围', 500),
        ],
      },
      {
        name: '地质灾害隐患点信息',
        table: 'dzzh',
        category: '0103',
        share: 'conditional',
        level: 'important',
        freq: 'quarterly',
        id: 'coordinate',
        idField: 'site_code',
        status: 'draft',
        summary: '地质灾害隐患点位置、类型、威胁人数和监测责任人。',
        keywords: ['地灾', '隐患点', '应急'],
        fields: [
          req(str('site_code', '隐患点编号', 20)),
          str('kind', '灾害类型', 20),
          dec('lng', '经度'),
          dec('lat', '纬度'),
          int('threatened', '威胁人数'),
          F.name('监测责任人', 'monitor'),
        ],
      },
    ],
  },
  {
    short: 'jyj',
    system: '教育管理公共服务平台',
    owner: '教育信息中心',
    basis: '《中华人民共和国教育法》',
    entries: [
      {
        name: '学籍信息',
        table: 'xjxx',
        category: '0203',
        share: 'conditional',
        level: 'important',
        freq: 'monthly',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '中小学生学籍注册、转学、休学、毕业信息。',
        keywords: ['学生', '学籍', '转学'],
        fields: [
          F.idCard(),
          F.name('学生姓名'),
          str('student_no', '全国学籍号', 19),
          F.orgName('就读学校'),
          str('grade', '年级', 10),
          str('status', '学籍状态', 10),
        ],
      },
      {
        name: '学校基本信息',
        table: 'xxjbxx',
        category: '0203',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'yearly',
        id: 'uscc',
        idField: 'uscc',
        summary: '各级各类学校的办学类型、地址、学段和招生范围。',
        keywords: ['学校', '学区', '招生'],
        fields: [
          F.uscc(),
          F.orgName('学校名称'),
          pub(str('school_type', '办学类型', 20)),
          pub(str('address', '地址', 200)),
          pub(str('enrolment_area', '招生范围', 1000)),
        ],
      },
      {
        name: '教师资格证信息',
        table: 'jszg',
        category: '0104',
        share: 'unconditional',
        open: 'conditional_open',
        level: 'general',
        freq: 'quarterly',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '教师资格认定与证书信息。',
        keywords: ['教师', '资格证'],
        fields: [
          F.idCard(),
          F.name(),
          str('certificate_no', '证书号码', 20),
          str('subject', '任教学科', 50),
          str('level', '资格种类', 50),
        ],
      },
      {
        name: '校外培训机构信息',
        table: 'xwpx',
        category: '0203',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'monthly',
        id: 'uscc',
        idField: 'uscc',
        summary: '经审批的校外培训机构名单及办学许可。',
        keywords: ['培训机构', '办学许可'],
        fields: [
          F.uscc(),
          F.orgName('机构名称'),
          pub(str('licence_no', '办学许可证号', 30)),
          pub(str('address', '培训地址', 200)),
        ],
      },
      {
        name: '学生资助信息',
        table: 'xszz',
        category: '0203',
        share: 'conditional',
        level: 'important',
        freq: 'yearly',
        id: 'id_card',
        idField: 'id_card_no',
        status: 'submitted',
        summary: '家庭经济困难学生资助发放记录。',
        keywords: ['资助', '助学金'],
        fields: [
          F.idCard(),
          F.name('学生姓名'),
          str('programme', '资助项目', 50),
          dec('amount', '资助金额'),
          str('year', '学年', 9),
        ],
      },
      {
        name: '入学报名信息',
        table: 'rxbm',
        category: '0203',
        share: 'conditional',
        level: 'important',
        freq: 'yearly',
        id: 'id_card',
        idField: 'id_card_no',
        status: 'draft',
        summary: '义务教育阶段新生入学报名及材料审核结果。',
        keywords: ['入学', '报名', '一件事'],
        fields: [
          F.idCard(),
          F.name('儿童姓名'),
          F.idCard('监护人公民身份号码', 'guardian_id_card_no'),
          F.address('户籍地址'),
          str('result', '审核结果', 20),
        ],
      },
    ],
  },
  {
    short: 'jtj',
    system: '道路运输管理系统',
    owner: '科技信息处',
    basis: '《中华人民共和国道路运输条例》',
    entries: [
      {
        name: '道路运输经营许可',
        table: 'dlysxk',
        category: '0204',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'daily',
        id: 'uscc',
        idField: 'uscc',
        summary: '道路旅客运输、货物运输经营许可证核发和年审信息。',
        keywords: ['运输', '经营许可证', '电子证照'],
        fields: [
          F.uscc(),
          F.orgName('业户名称'),
          pub(str('licence_no', '经营许可证号', 30)),
          pub(str('scope', '经营范围', 200)),
          date('valid_to', '有效期至'),
        ],
      },
      {
        name: '道路运输证信息',
        table: 'dlysz',
        category: '0204',
        share: 'unconditional',
        level: 'general',
        freq: 'daily',
        id: 'unified_code',
        idField: 'plate_no',
        summary: '营运车辆道路运输证信息。',
        keywords: ['营运车辆', '运输证'],
        fields: [
          F.plate(),
          str('certificate_no', '道路运输证号', 30),
          F.uscc('业户统一社会信用代码'),
          str('vehicle_type', '车辆类型', 20),
          date('valid_to', '有效期至'),
        ],
      },
      {
        name: '从业资格证信息',
        table: 'cyzg',
        category: '0204',
        share: 'conditional',
        level: 'general',
        freq: 'daily',
        id: 'id_card',
        idField: 'id_card_no',
        summary: '道路运输驾驶员、网约车驾驶员从业资格证信息。',
        keywords: ['驾驶员', '从业资格', '网约车'],
        fields: [
          F.idCard(),
          F.name(),
          str('certificate_no', '从业资格证号', 30),
          str('category', '从业资格类别', 50),
          date('valid_to', '有效期至'),
        ],
      },
      {
        name: '公交线路站点信息',
        table: 'gjxl',
        category: '0204',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'monthly',
        id: 'coordinate',
        idField: 'stop_code',
        summary: '公交线路、站点名称及坐标。',
        keywords: ['公交', '站点', '线路'],
        fields: [
          req(pub(str('stop_code', '站点编码', 20))),
          pub(str('stop_name', '站点名称', 100)),
          pub(str('line', '线路', 50)),
          { ...dec('lng', '经度'), sensitivity: 'public' },
          { ...dec('lat', '纬度'), sensitivity: 'public' },
        ],
      },
      {
        name: '网络预约出租汽车经营许可',
        table: 'wyc',
        category: '0204',
        share: 'unconditional',
        open: 'open',
        level: 'general',
        freq: 'monthly',
        id: 'uscc',
        idField: 'uscc',
        summary: '网约车平台公司经营许可信息。',
        keywords: ['网约车', '平台'],
        fields: [
          F.uscc(),
          F.orgName('平台公司名称'),
          pub(str('licence_no', '许可证号', 30)),
          date('valid_to', '有效期至'),
        ],
      },
      {
        name: '交通违法处理信息',
        table: 'jtwf',
        category: '0206',
        share: 'conditional',
        level: 'important',
        freq: 'daily',
        id: 'unified_code',
        idField: 'plate_no',
        status: 'submitted',
        summary: '营运车辆交通违法记录与处理情况（与公安交管共享）。',
        keywords: ['违法', '营运车辆'],
        fields: [
          F.plate(),
          date('occurred_on', '违法时间'),
          str('violation', '违法行为', 200),
          str('handled', '处理状态', 10),
        ],
      },
    ],
  },
];

const COLUMN_TYPE: Record<Field['type'], string> = {
  string: 'varchar',
  integer: 'integer',
  decimal: 'numeric(18,2)',
  date: 'date',
  datetime: 'timestamp',
  boolean: 'boolean',
};

/** Loads the catalog demo inside the demo seed's transaction. */
export async function seedCatalogDemo(
  tx: Tx,
  profileId: ProfileId = 'lingang-2024',
): Promise<void> {
  const profile = getProfile(profileId);
  const shareType = (kind: Kind) =>
    (profile.shareTypes.find((t) => t.kind === kind) ??
      profile.shareTypes.find((t) => t.kind === 'conditional'))!;
  const reviewer = await actor(tx, 'reviewer');
  const admin = await actor(tx, 'admin');
  for (const dept of DEPARTMENTS) {
    const officer = await actor(tx, `${dept.short}.officer`);
    const system = await createSystem(tx, officer, {
      name: dept.system,
      owner: dept.owner,
      constructionStage: 'online',
      description: `${officer.orgName}核心业务系统`,
    });
    for (const spec of dept.entries) {
      const table = await createTable(tx, officer, system.id, {
        databaseName: dept.short,
        name: spec.table,
        comment: spec.name,
        columns: spec.fields.map((f) => ({
          name: f.name,
          type:
            f.length && f.type === 'string'
              ? `${COLUMN_TYPE[f.type]}(${f.length})`
              : COLUMN_TYPE[f.type],
          length: f.type === 'string' ? (f.length ?? null) : null,
          nullable: !f.required,
          primaryKey: f.name === spec.idField,
          comment: f.label,
        })),
      });
      const type = shareType(spec.share);
      const needsBasis = type.kind !== 'unconditional' || type.needsLegalBasis;
      const created = await createResource(
        tx,
        officer,
        {
          name: spec.name,
          summary: spec.summary,
          categoryCode: spec.category,
          sourceSystemId: system.id,
          sourceTableIds: [table.id],
          identifierKind: spec.id,
          identifierField: spec.idField ?? null,
          shareType: type.code,
          shareConditions:
            type.kind === 'conditional' || type.kind === 'special'
              ? '用于履行法定职责，限于办理相关政务服务和监管事项，按最小必要原则申请字段'
              : null,
          legalBasis: needsBasis ? (spec.basis ?? dept.basis) : null,
          openType: spec.open ?? 'not_open',
          securityLevel: spec.level,
          updateFrequency: spec.freq,
          keywords: spec.keywords,
          fields: spec.fields,
          comment: '首次编目',
        },
        profile,
      );
      const status = spec.status ?? 'published';
      const steps: [Parameters<typeof transitionResource>[3], Actor, string][] = [
        ['submit', officer, '已按职能数据清单完成编目，请审核'],
        ['approve', reviewer, '目录要素齐全，同意'],
        ['publish', admin, '发布'],
      ];
      const upTo = { draft: 0, submitted: 1, approved: 2, published: 3 }[status];
      for (const [action, who, comment] of steps.slice(0, upTo))
        await transitionResource(tx, who, created.id, action, comment);
      if (status === 'published')
        await ensurePoolTable(tx, (await getPoolResource(tx, created.id))!);
      await createFunctionItem(tx, officer, {
        duty: `${spec.name.replace(/信息$/, '')}管理`,
        dutyBasis: dept.basis,
        dataName: spec.name,
        resourceId: created.id,
      });
    }
  }
  // A system still being built, with a table neither catalogued nor exempted: it cannot be accepted
  // yet [000 §11].
  const scjg = await actor(tx, 'scjg.officer');
  const building = await createSystem(tx, scjg, {
    name: '信用监管协同系统',
    owner: '信用监管处',
    constructionStage: 'trial',
    description: '在建，待验收',
  });
  await createTable(tx, scjg, building.id, {
    databaseName: 'xyjg',
    name: 'xy_fxfj',
    comment: '企业信用风险分类结果',
    columns: [
      {
        name: 'uscc',
        type: 'char(18)',
        primaryKey: true,
        nullable: false,
        comment: '统一社会信用代码',
      },
      { name: 'risk_level', type: 'varchar(2)', comment: '风险等级' },
    ],
  });
  await createTable(tx, scjg, building.id, {
    databaseName: 'xyjg',
    name: 'sys_log',
    comment: '系统操作日志',
    columns: [
      { name: 'id', type: 'bigint', primaryKey: true, nullable: false },
      { name: 'message', type: 'text' },
    ],
  });
  const rsj = await actor(tx, 'rsj.officer');
  const rsjSystem = (
    await tx.query(`SELECT id FROM systems WHERE org_id = $1 LIMIT 1`, [rsj.orgId])
  ).rows[0].id;
  await updateSystem(tx, rsj, rsjSystem, { accepted: true });
  await createDataset(tx, scjg, {
    kind: 'purchased',
    name: '企业舆情监测数据',
    supplier: '某数据服务有限公司',
    contractNo: 'SJCG-2025-017',
    validUntil: '2026-12-31',
    description: '互联网企业舆情，用于信用风险预警',
  });
  await createDataset(tx, rsj, {
    kind: 'unstructured',
    name: '参保档案影像',
    format: 'PDF/JPG',
    volume: '3.2 TB',
    description: '历年参保登记纸质档案扫描件',
  });
  // 职能数据清单 审定 [003 §10]: 公安局's list approved, 人社局's waiting for the authority.
  const gaj = await actor(tx, 'gaj.officer');
  await submitFunctionList(tx, gaj, undefined);
  await decideFunctionList(tx, await actor(tx, 'reviewer'), gaj.orgId, 'approve', undefined);
  await submitFunctionList(tx, rsj, undefined);
}
