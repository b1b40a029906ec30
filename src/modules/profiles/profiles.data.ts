/**
 * The regulation profiles of SPEC "Profiles", as data. A deployment picks one; it decides
 * the share types, who reviews share requests and every deadline. Numbers come from the
 * regulations in shared/reference/regulations/; `[004 §18]` means file 004, article 18.
 *
 * All `…Days` are working days on the Chinese calendar (see src/lib/working-days.ts)
 * except `channelFreezeDays`, which counts calendar days. `null` means the regulation sets
 * no number.
 */

import type { ProfileId } from '../../server/platform/config.js';

/** The profile ids, one per regulation (the platform's settings name one). */
export type { ProfileId };

/** Every profile id, in file order of the regulations. */
export const PROFILE_IDS: readonly ProfileId[] = Object.freeze([
  'customs-2019',
  'city-2016',
  'huizhou-2023',
  'lingang-2024',
]);

/** A name in Simplified Chinese and English. */
interface LocalisedName {
  readonly zh: string;
  readonly en: string;
}

/** The bodies that take part in a share: the platform operator, the authority, the provider. */
type Party = 'platform' | 'authority' | 'provider';

/** Who must approve a request before data flows; the pair means both, in that order. */
type Reviewer = 'none' | Party | readonly ['authority', 'provider'];

/** The workflow a share type follows. */
type ShareKind = 'unconditional' | 'conditional' | 'special' | 'not-shared';

/** One share type (共享类型) of a profile. */
export interface ShareType extends LocalisedName {
  /** Unique within the profile; stored on catalog entries. */
  readonly code: string;
  /** Selects the request workflow in {@link Profile.workflow}. */
  readonly kind: ShareKind;
  /** A request needs someone's approval (not merely self-service). */
  readonly needsReview: boolean;
  /** The catalog entry must cite the law (or rule) that puts data in this type. */
  readonly needsLegalBasis: boolean;
  /** Shared only with recipients named by the approver (city-2016 特殊共享类). */
  readonly namedRecipients?: boolean;
  /** A body can ask for data of this type at all. */
  readonly requestable: boolean;
  /** Customs only: shared within customs or with outside bodies `[000 §21]`. */
  readonly scope?: 'internal' | 'external';
  /** Putting data in this type must be filed (备案) with the authority. */
  readonly filedWithAuthority: boolean;
  /** A body may ask the provider to verify or compare records (核实、比对) instead. */
  readonly verifiable: boolean;
}

/** How a request for one kind of share is decided. */
export interface RequestWorkflow {
  readonly reviewer: Reviewer;
  /** Brought in when the reviewer cannot decide alone. */
  readonly consults: Party | null;
  /** Told of the outcome or filed with. */
  readonly notifies: readonly Party[];
  /** Working days from receipt to the answer or confirmation. */
  readonly answerDays: number | null;
  /** Working days from the answer to the data being delivered. */
  readonly deliverDays: number | null;
  /** What a refusal must carry. */
  readonly refusalNeeds: 'legal-basis' | 'written-reason' | null;
}

/** How a dispute about shared data is handled. */
interface ObjectionRules {
  /** Records and fields, or (customs) the share type given to a resource. */
  readonly subject: 'data' | 'share-type';
  /** The body the objection goes to. */
  readonly receivedBy: Party;
  /** Working days the provider has to check and correct or confirm. */
  readonly providerCheckDays: number | null;
  /** Working days the platform centre has to review. */
  readonly centreReviewDays: number | null;
  /** People and companies may dispute data about themselves too. */
  readonly dataSubjects: boolean;
  /** Working days to settle a data subject's objection. */
  readonly dataSubjectDays: number | null;
  /** The objection must be made in writing. */
  readonly inWriting: boolean;
}

/** The rules one regulation sets for the platform. */
export interface Profile {
  readonly id: ProfileId;
  readonly name: LocalisedName;
  readonly regulation: {
    /** File name under shared/reference/regulations/. */
    readonly file: string;
    readonly title: LocalisedName;
    readonly issuer: string;
    /** Dates as YYYY-MM-DD; `validUntil` null when the text sets no end. */
    readonly issued: string;
    readonly effective: string | null;
    readonly validUntil: string | null;
  };
  /** Who plays the platform and authority roles under this regulation. */
  readonly parties: Readonly<Record<'platform' | 'authority', LocalisedName>>;
  readonly shareTypes: readonly ShareType[];
  readonly workflow: {
    readonly unconditional: RequestWorkflow;
    readonly conditional: RequestWorkflow;
    readonly special?: RequestWorkflow;
  };
  /** What happens when a body asks for data that is not in the catalog. */
  readonly uncatalogued: 'dedupe-first' | 'provider-check' | 'assess-then-collect' | null;
  readonly uncataloguedCheckDays: number | null;
  readonly objections: ObjectionRules;
  /** Working days to answer a public request for data outside the open catalog. */
  readonly openRequestAnswerDays: number | null;
  /** Calendar days without a read after which a share channel freezes. */
  readonly channelFreezeDays: number | null;
  /** Where each rule comes from, as '[file §article]'. */
  readonly citations: Readonly<Record<CitationKey, string | null>>;
}

/** The rules a profile cites. */
type CitationKey =
  | 'shareTypes'
  | 'unconditional'
  | 'conditional'
  | 'special'
  | 'uncatalogued'
  | 'objections'
  | 'openRequests'
  | 'channelFreeze';

const SELF_SERVICE: RequestWorkflow = {
  reviewer: 'none',
  consults: null,
  notifies: [],
  answerDays: null,
  deliverDays: null,
  refusalNeeds: null,
};

const NOT_SHARED = {
  code: 'not-shared',
  kind: 'not-shared',
  zh: '不予共享',
  en: 'Not shared',
} as const;

const customs: Profile = {
  id: 'customs-2019',
  name: { zh: '海关大数据资源共享（2019）', en: 'Customs big-data sharing (2019)' },
  regulation: {
    file: '000_dc3bfdc60994dc49.txt',
    title: {
      zh: '海关大数据资源共享管理办法',
      en: 'Measures for Sharing Customs Big-Data Resources',
    },
    issuer: '海关总署',
    issued: '2019-11-11',
    effective: null,
    validUntil: null,
  },
  parties: {
    platform: { zh: '全国海关信息中心', en: 'National Customs Information Center' },
    authority: { zh: '风险管理司', en: 'Department of Risk Management' },
  },
  // [000 §21]. External sharing covers only data of customs' own business systems; O&M,
  // purchased and exchanged data are generally not shared outside [000 §24].
  shareTypes: [
    // 海关依据法律法规主动公开: public already, no review.
    {
      code: 'unconditional-external',
      kind: 'unconditional',
      zh: '无条件外部共享',
      en: 'Unconditional, external',
      scope: 'external',
      needsReview: false,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: false,
      verifiable: false,
    },
    {
      code: 'conditional-external',
      kind: 'conditional',
      zh: '有条件外部共享',
      en: 'Conditional, external',
      scope: 'external',
      needsReview: true,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: false,
      verifiable: false,
    },
    // 共享前报风险司备案: filed with 风险司 before it is shared, then self-service.
    {
      code: 'unconditional-internal',
      kind: 'unconditional',
      zh: '无条件内部共享',
      en: 'Unconditional, internal',
      scope: 'internal',
      needsReview: false,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: true,
      verifiable: false,
    },
    {
      code: 'conditional-internal',
      kind: 'conditional',
      zh: '有条件内部共享',
      en: 'Conditional, internal',
      scope: 'internal',
      needsReview: true,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: false,
      verifiable: false,
    },
    // §21 lists what is not shared (cases under investigation, 稽查 work in progress);
    // the entry must say which of those grounds applies, hence needsLegalBasis.
    {
      ...NOT_SHARED,
      needsReview: false,
      needsLegalBasis: true,
      requestable: false,
      filedWithAuthority: false,
      verifiable: false,
    },
  ],
  workflow: {
    unconditional: SELF_SERVICE,
    // §21 requires review by 风险司 and the provider; §23 lets 风险司 review and consult the
    // provider "when necessary". We follow §21, the stricter of the two, as SPEC does.
    conditional: {
      reviewer: ['authority', 'provider'],
      consults: null,
      notifies: [],
      answerDays: null,
      deliverDays: null,
      refusalNeeds: null,
    },
  },
  // §12 is about data fetched from outside bodies: search the catalog first, never
  // exchange what is already pooled.
  uncatalogued: 'dedupe-first',
  uncataloguedCheckDays: null,
  // Objections are about the share type: 风险司 re-confirms it with the provider.
  objections: {
    subject: 'share-type',
    receivedBy: 'authority',
    providerCheckDays: null,
    centreReviewDays: null,
    dataSubjects: false,
    dataSubjectDays: null,
    inWriting: false,
  },
  openRequestAnswerDays: null,
  channelFreezeDays: null,
  citations: {
    shareTypes: '[000 §21]',
    unconditional: '[000 §21]',
    conditional: '[000 §21,23]',
    special: null,
    uncatalogued: '[000 §12]',
    objections: '[000 §23]',
    openRequests: null,
    channelFreeze: null,
  },
};

const city: Profile = {
  id: 'city-2016',
  name: {
    zh: '某市政府数据资源共建共享（2016）',
    en: 'City government data co-construction and sharing (2016)',
  },
  regulation: {
    file: '001_3c56e3bc29a7afb2.txt',
    title: {
      zh: '某市政府数据资源共建共享管理办法（试行）',
      en: 'Trial Measures for Co-construction and Sharing of City Government Data Resources',
    },
    issuer: '市人民政府办公室',
    issued: '2016-06-23',
    // §40: in force from issue, valid for two years.
    effective: '2016-06-23',
    validUntil: '2018-06-22',
  },
  // The 市大数据管理中心 both runs the platform and decides (§3).
  parties: {
    platform: { zh: '市大数据管理中心', en: 'Municipal Big Data Management Center' },
    authority: { zh: '市大数据管理中心', en: 'Municipal Big Data Management Center' },
  },
  // [001 §8,9]. Special-share data is data a law forbids giving out directly; the provider
  // classifies it under that law and the centre checks it.
  shareTypes: [
    {
      code: 'unconditional',
      kind: 'unconditional',
      zh: '无条件共享类',
      en: 'Unconditional',
      needsReview: false,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: false,
      verifiable: false,
    },
    {
      code: 'conditional',
      kind: 'conditional',
      zh: '有条件共享类',
      en: 'Conditional',
      needsReview: true,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: false,
      verifiable: false,
    },
    {
      code: 'special',
      kind: 'special',
      zh: '特殊共享类',
      en: 'Special (named recipients)',
      needsReview: true,
      needsLegalBasis: true,
      namedRecipients: true,
      requestable: true,
      filedWithAuthority: false,
      verifiable: false,
    },
  ],
  workflow: {
    unconditional: SELF_SERVICE,
    // The centre approves what meets the conditions and tells the provider; otherwise it
    // consults the provider, who must give its reasons for a refusal in writing.
    conditional: {
      reviewer: 'platform',
      consults: 'provider',
      notifies: ['provider'],
      answerDays: null,
      deliverDays: null,
      refusalNeeds: 'written-reason',
    },
    special: {
      reviewer: 'platform',
      consults: null,
      notifies: [],
      answerDays: null,
      deliverDays: null,
      refusalNeeds: null,
    },
  },
  uncatalogued: null,
  uncataloguedCheckDays: null,
  // Reported in writing to the centre, which reviews in 5 working days; for differences
  // with a non-technical cause it has the provider check within 3 and answer in writing.
  objections: {
    subject: 'data',
    receivedBy: 'platform',
    providerCheckDays: 3,
    centreReviewDays: 5,
    dataSubjects: false,
    dataSubjectDays: null,
    inWriting: true,
  },
  openRequestAnswerDays: null,
  channelFreezeDays: null,
  citations: {
    shareTypes: '[001 §8]',
    unconditional: '[001 §17]',
    conditional: '[001 §18]',
    special: '[001 §9,19]',
    uncatalogued: null,
    objections: '[001 §20]',
    openRequests: null,
    channelFreeze: null,
  },
};

const huizhou: Profile = {
  id: 'huizhou-2023',
  name: { zh: '惠州市公共数据管理（2023）', en: 'Huizhou public data management (2023)' },
  regulation: {
    file: '003_2f61101925ec2dd2.txt',
    title: {
      zh: '惠州市公共数据管理实施细则',
      en: 'Huizhou Implementing Rules for Public Data Management',
    },
    issuer: '惠州市人民政府',
    issued: '2023-12-01',
    // §25: in force from 2024-01-03 for three years.
    effective: '2024-01-03',
    validUntil: '2027-01-02',
  },
  parties: {
    platform: {
      zh: '市“一网共享”平台',
      en: 'Huizhou node of the Guangdong "One Network Sharing" platform',
    },
    authority: { zh: '市公共数据主管部门', en: 'Municipal public data authority' },
  },
  // [003 §13]. Bodies may ask for verification or comparison of not-shared data and of
  // conditional data whose conditions they do not meet.
  shareTypes: [
    {
      code: 'unconditional',
      kind: 'unconditional',
      zh: '无条件共享',
      en: 'Unconditional',
      needsReview: false,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: false,
      verifiable: false,
    },
    {
      code: 'conditional',
      kind: 'conditional',
      zh: '有条件共享',
      en: 'Conditional',
      needsReview: true,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: false,
      verifiable: true,
    },
    // A refusal must cite law (§13), so a standing refusal must too.
    {
      ...NOT_SHARED,
      needsReview: false,
      needsLegalBasis: true,
      requestable: false,
      filedWithAuthority: false,
      verifiable: true,
    },
  ],
  workflow: {
    unconditional: SELF_SERVICE,
    // The provider answers within 2 working days and, if it agrees, delivers within 3
    // working days of the answer; a refusal cites a law, regulation or rule.
    conditional: {
      reviewer: 'provider',
      consults: null,
      notifies: [],
      answerDays: 2,
      deliverDays: 3,
      refusalNeeds: 'legal-basis',
    },
  },
  // The provider checks within 5 working days and catalogs and shares what qualifies.
  uncatalogued: 'provider-check',
  uncataloguedCheckDays: 5,
  // §16: 10 working days for a consumer's objection and for a data subject's; business
  // carries on during checking.
  objections: {
    subject: 'data',
    receivedBy: 'provider',
    providerCheckDays: 10,
    centreReviewDays: null,
    dataSubjects: true,
    dataSubjectDays: 10,
    inWriting: false,
  },
  openRequestAnswerDays: 20,
  channelFreezeDays: null,
  citations: {
    shareTypes: '[003 §13]',
    unconditional: '[003 §13]',
    conditional: '[003 §13]',
    special: null,
    uncatalogued: '[003 §13]',
    objections: '[003 §16]',
    openRequests: '[003 §15]',
    channelFreeze: null,
  },
};

const lingang: Profile = {
  id: 'lingang-2024',
  name: {
    zh: '临港新片区公共数据管理（2024）',
    en: 'Lingang New Area public data management (2024)',
  },
  regulation: {
    file: '004_c5f12aec1f4305dc.txt',
    title: {
      zh: '中国（上海）自由贸易试验区临港新片区公共数据管理办法',
      en: 'Measures for Public Data Management of the Lingang New Area, China (Shanghai) Pilot Free Trade Zone',
    },
    issuer: '临港新片区管委会（沪自贸临管规范〔2024〕1号）',
    issued: '2024-02-04',
    // §32: in force 2024-03-05, valid until 2029-03-04.
    effective: '2024-03-05',
    validUntil: '2029-03-04',
  },
  parties: {
    platform: { zh: '临港新片区大数据中心', en: 'Lingang New Area Big Data Center' },
    authority: {
      zh: '临港新片区管委会数据部门',
      en: 'Data department of the Lingang New Area Administration',
    },
  },
  // [004 §15,16]. Without a legal basis a body may not refuse to share, so not-shared data
  // needs one; conditional data needs one too and is filed with the 管委会, or else it is
  // unconditional.
  shareTypes: [
    {
      code: 'unconditional',
      kind: 'unconditional',
      zh: '无条件共享',
      en: 'Unconditional',
      needsReview: false,
      needsLegalBasis: false,
      requestable: true,
      filedWithAuthority: false,
      verifiable: false,
    },
    {
      code: 'conditional',
      kind: 'conditional',
      zh: '有条件共享',
      en: 'Conditional',
      needsReview: true,
      needsLegalBasis: true,
      requestable: true,
      filedWithAuthority: true,
      verifiable: false,
    },
    {
      ...NOT_SHARED,
      needsReview: false,
      needsLegalBasis: true,
      requestable: false,
      filedWithAuthority: false,
      verifiable: false,
    },
  ],
  // §18 is the flow inside the Lingang administration; requests to or from the city's big
  // data centre (§19) are reviewed there and have no deadline here.
  workflow: {
    // The big data centre confirms within 5 working days of confirming the need and tells
    // the provider. Even unconditional data is confirmed, not self-service.
    unconditional: {
      reviewer: 'platform',
      consults: null,
      notifies: ['provider'],
      answerDays: 5,
      deliverDays: null,
      refusalNeeds: null,
    },
    // The 管委会 and the provider review; on approval the centre grants access and the
    // share is confirmed within 10 working days. The text places the 10 days after the
    // approval; SPEC and we count them from the request, the stricter reading.
    conditional: {
      reviewer: ['authority', 'provider'],
      consults: null,
      notifies: [],
      answerDays: 10,
      deliverDays: null,
      refusalNeeds: 'legal-basis',
    },
  },
  // §9 speaks of data not yet pooled: the centre assesses the need, then collects it with
  // the source body. No deadline.
  uncatalogued: 'assess-then-collect',
  uncataloguedCheckDays: null,
  // §13 leaves deadlines to the centre's 异议核实与处理规范; set them per deployment.
  objections: {
    subject: 'data',
    receivedBy: 'provider',
    providerCheckDays: null,
    centreReviewDays: null,
    dataSubjects: false,
    dataSubjectDays: null,
    inWriting: false,
  },
  openRequestAnswerDays: null,
  // §17 freezes or closes a channel a body "长期不使用" (leaves unused for a long time)
  // without a number. We choose 90 calendar days — one quarter, long enough for monthly
  // and quarterly batches to read at least once. A closed channel needs a new request.
  channelFreezeDays: 90,
  citations: {
    shareTypes: '[004 §16]',
    unconditional: '[004 §18]',
    conditional: '[004 §16,18]',
    special: null,
    uncatalogued: '[004 §9]',
    objections: '[004 §13]',
    openRequests: null,
    channelFreeze: '[004 §17]',
  },
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Every profile, by id. Frozen: a deployment reads its profile, never edits it. */
export const PROFILES: Readonly<Record<ProfileId, Profile>> = deepFreeze({
  'customs-2019': customs,
  'city-2016': city,
  'huizhou-2023': huizhou,
  'lingang-2024': lingang,
});

/** Whether `id` names a profile. */
export function isProfileId(id: unknown): id is ProfileId {
  return typeof id === 'string' && (PROFILE_IDS as readonly string[]).includes(id);
}

/**
 * The profile with this id.
 *
 * @throws RangeError naming the known ids when `id` is not one of them.
 */
export function getProfile(id: string): Profile {
  if (!isProfileId(id)) {
    throw new RangeError(
      `Unknown profile ${JSON.stringify(id)}; expected one of ${PROFILE_IDS.join(', ')}`,
    );
  }
  return PROFILES[id];
}

/**
 * The share type with this code in a profile, or undefined.
 */
export function findShareType(profile: Profile, code: string): ShareType | undefined {
  return profile.shareTypes.find((shareType) => shareType.code === code);
}
