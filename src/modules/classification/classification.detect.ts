/**
 * Detection of personal data in sampled values (C6): each value is matched against the
 * identifiers and shapes personal data takes in China; a field whose filled samples mostly
 * match one kind is proposed a sensitivity and a default masking.
 */
import { isLuhnValid, isValidIdCard, isValidMobile, isValidUscc } from '../../lib/check-digits.js';

export type PiiKind =
  | 'id_card'
  | 'mobile'
  | 'name'
  | 'address'
  | 'bank_card'
  | 'plate'
  | 'uscc'
  | 'email';
export type Sensitivity = 'public' | 'internal' | 'sensitive' | 'personal';
export type Masking = 'none' | 'partial' | 'hash' | 'generalise' | 'truncate';

/** The most common Chinese surnames (single and double), covering well over 85% of people. */
const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
]);
const DOUBLE_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
];
const HAN = /^[\u4e00-\u9fa5·]+$/;
const ADDRESS_MARKS =
  /(省|自治区|市|区|县|镇|乡|街道|村|路|街|大道|巷|弄|号|栋|幢|单元|室|小区|大厦)/g;
const PLATE =
  /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$/;
const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

function looksLikeName(v: string): boolean {
  if (!HAN.test(v) || v.length < 2 || v.length > 4) return false;
  return SURNAMES.has(v[0]) || DOUBLE_SURNAMES.some((s) => v.startsWith(s) && v.length >= 3);
}

/** The personal-data kind one value looks like, most specific first. */
export function kindOf(value: string): PiiKind | null {
  const v = value.trim();
  if (!v) return null;
  if (isValidIdCard(v)) return 'id_card';
  if (isValidUscc(v)) return 'uscc';
  if (isValidMobile(v)) return 'mobile';
  if (/^[0-9]{15,19}$/.test(v) && isLuhnValid(v)) return 'bank_card';
  if (PLATE.test(v)) return 'plate';
  if (EMAIL.test(v)) return 'email';
  if (looksLikeName(v)) return 'name';
  if (v.length >= 6 && /[\u4e00-\u9fa5]/.test(v) && (v.match(ADDRESS_MARKS)?.length ?? 0) >= 2)
    return 'address';
  return null;
}

/** Share of filled samples a kind must reach before it is proposed. */
const DETECTION_THRESHOLD = 0.6;

export interface Detection {
  kind: PiiKind;
  share: number;
  sampled: number;
}

/** The kind most of the filled `values` share, if any reaches the threshold. */
export function detectKind(values: readonly (string | null | undefined)[]): Detection | null {
  const filled = values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (filled.length === 0) return null;
  const counts = new Map<PiiKind, number>();
  for (const v of filled) {
    const k = kindOf(v);
    if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (!best) return null;
  const share = best[1] / filled.length;
  return share >= DETECTION_THRESHOLD
    ? { kind: best[0], share: Math.round(share * 10_000) / 10_000, sampled: filled.length }
    : null;
}

/** The sensitivity and default masking proposed for each kind. */
export const PROPOSALS: Record<PiiKind, { sensitivity: Sensitivity; masking: Masking }> = {
  id_card: { sensitivity: 'personal', masking: 'partial' },
  mobile: { sensitivity: 'personal', masking: 'partial' },
  name: { sensitivity: 'personal', masking: 'partial' },
  address: { sensitivity: 'personal', masking: 'generalise' },
  bank_card: { sensitivity: 'personal', masking: 'partial' },
  plate: { sensitivity: 'personal', masking: 'partial' },
  email: { sensitivity: 'personal', masking: 'partial' },
  uscc: { sensitivity: 'public', masking: 'none' },
};
