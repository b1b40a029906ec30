import { describe, expect, it } from 'vitest';
import { PROFILES, PROFILE_IDS, findShareType, getProfile, isProfileId } from './profiles.data.js';

const codes = (id: string) => getProfile(id).shareTypes.map((shareType) => shareType.code);

describe('regulation profiles', () => {
  it('has one profile per id, keyed by its own id', () => {
    expect(Object.keys(PROFILES).sort()).toEqual([...PROFILE_IDS].sort());
    for (const id of PROFILE_IDS) expect(PROFILES[id].id).toBe(id);
  });

  describe('share types SPEC lists', () => {
    it('gives customs-2019 five types over internal and external scope [000 §21]', () => {
      expect(codes('customs-2019')).toEqual([
        'unconditional-external',
        'conditional-external',
        'unconditional-internal',
        'conditional-internal',
        'not-shared',
      ]);
      const scoped = getProfile('customs-2019').shareTypes.filter((t) => t.code !== 'not-shared');
      expect(scoped.map((t) => t.scope)).toEqual(['external', 'external', 'internal', 'internal']);
      expect(
        findShareType(getProfile('customs-2019'), 'unconditional-internal')?.filedWithAuthority,
      ).toBe(true);
    });

    it('gives city-2016 unconditional, conditional and special for named recipients [001 §8]', () => {
      expect(codes('city-2016')).toEqual(['unconditional', 'conditional', 'special']);
      const special = findShareType(getProfile('city-2016'), 'special');
      expect(special).toMatchObject({
        namedRecipients: true,
        needsReview: true,
        needsLegalBasis: true,
      });
    });

    it.each(['huizhou-2023', 'lingang-2024'])(
      'gives %s unconditional, conditional and not shared',
      (id) => {
        expect(codes(id)).toEqual(['unconditional', 'conditional', 'not-shared']);
      },
    );

    it('never lets anyone request not-shared data, and always reviews conditional data', () => {
      for (const id of PROFILE_IDS) {
        for (const shareType of PROFILES[id].shareTypes) {
          if (shareType.kind === 'not-shared') expect(shareType.requestable).toBe(false);
          if (shareType.kind === 'conditional') expect(shareType.needsReview).toBe(true);
          if (shareType.kind === 'unconditional') expect(shareType.needsReview).toBe(false);
        }
      }
    });

    it('has a workflow for every requestable kind and unique codes', () => {
      for (const id of PROFILE_IDS) {
        const profile = PROFILES[id];
        const seen = new Set(profile.shareTypes.map((t) => t.code));
        expect(seen.size).toBe(profile.shareTypes.length);
        for (const shareType of profile.shareTypes.filter((t) => t.requestable)) {
          expect(
            profile.workflow[shareType.kind as 'unconditional' | 'conditional' | 'special'],
          ).toBeDefined();
        }
      }
    });
  });

  describe('deadlines SPEC names', () => {
    it('lingang-2024: unconditional confirmed in 5, conditional in 10 working days [004 §18]', () => {
      const { workflow } = getProfile('lingang-2024');
      expect(workflow.unconditional).toMatchObject({ reviewer: 'platform', answerDays: 5 });
      expect(workflow.conditional).toMatchObject({
        reviewer: ['authority', 'provider'],
        answerDays: 10,
      });
    });

    it('huizhou-2023: conditional answered in 2, delivered in 3; uncatalogued 5; objections 10; open requests 20', () => {
      const profile = getProfile('huizhou-2023');
      expect(profile.workflow.conditional).toMatchObject({
        reviewer: 'provider',
        answerDays: 2,
        deliverDays: 3,
        refusalNeeds: 'legal-basis',
      });
      expect(profile.workflow.unconditional.reviewer).toBe('none');
      expect(profile.uncataloguedCheckDays).toBe(5);
      expect(profile.objections).toMatchObject({
        providerCheckDays: 10,
        dataSubjects: true,
        dataSubjectDays: 10,
      });
      expect(profile.openRequestAnswerDays).toBe(20);
    });

    it('city-2016: the centre reviews objections in 5 working days, the provider checks in 3 [001 §20]', () => {
      const profile = getProfile('city-2016');
      expect(profile.objections).toMatchObject({
        centreReviewDays: 5,
        providerCheckDays: 3,
        inWriting: true,
      });
      expect(profile.workflow.unconditional.reviewer).toBe('none');
      expect(profile.workflow.conditional).toMatchObject({
        reviewer: 'platform',
        consults: 'provider',
      });
    });

    it('customs-2019: conditional shares reviewed by 风险司 and the provider, no deadlines', () => {
      const profile = getProfile('customs-2019');
      expect(profile.workflow.conditional.reviewer).toEqual(['authority', 'provider']);
      expect(profile.workflow.conditional.answerDays).toBeNull();
      expect(profile.objections.subject).toBe('share-type');
    });

    it('freezes unused channels only under lingang-2024 [004 §17]', () => {
      expect(getProfile('lingang-2024').channelFreezeDays).toBe(90);
      expect(getProfile('lingang-2024').citations.channelFreeze).toBe('[004 §17]');
      for (const id of ['customs-2019', 'city-2016', 'huizhou-2023']) {
        expect(getProfile(id).channelFreezeDays).toBeNull();
      }
    });

    it('uses only positive whole numbers of days', () => {
      for (const id of PROFILE_IDS) {
        const p = PROFILES[id];
        const days = [
          p.workflow.unconditional.answerDays,
          p.workflow.conditional.answerDays,
          p.workflow.conditional.deliverDays,
          p.uncataloguedCheckDays,
          p.objections.providerCheckDays,
          p.objections.centreReviewDays,
          p.objections.dataSubjectDays,
          p.openRequestAnswerDays,
          p.channelFreezeDays,
        ].filter((n): n is number => n !== null);
        for (const n of days) expect(Number.isInteger(n) && n > 0).toBe(true);
      }
    });
  });

  describe('citations and sources', () => {
    it.each(PROFILE_IDS)('%s cites its own regulation file, which exists', (id) => {
      const profile = PROFILES[id];
      const prefix = profile.regulation.file.slice(0, 3);
      for (const citation of Object.values(profile.citations)) {
        if (citation !== null)
          expect(citation).toMatch(new RegExp(`^\\[${prefix} §\\d+(,\\d+)*\\]$`));
      }
    });
  });

  describe('lookup', () => {
    it('returns a profile by id', () => {
      expect(getProfile('huizhou-2023').name.zh).toBe('惠州市公共数据管理（2023）');
      expect(isProfileId('city-2016')).toBe(true);
      expect(isProfileId('city-2017')).toBe(false);
    });

    it('throws on an unknown id, naming the known ones', () => {
      expect(() => getProfile('shenzhen-2025')).toThrow(RangeError);
      expect(() => getProfile('shenzhen-2025')).toThrow(
        'Unknown profile "shenzhen-2025"; expected one of customs-2019, city-2016, huizhou-2023, lingang-2024',
      );
      expect(() => getProfile('')).toThrow(/Unknown profile ""/);
    });

    it('is frozen all the way down', () => {
      const profile = getProfile('lingang-2024');
      expect(Object.isFrozen(profile)).toBe(true);
      expect(Object.isFrozen(profile.shareTypes[0])).toBe(true);
      expect(Object.isFrozen(profile.workflow.conditional.reviewer)).toBe(true);
      expect(() => {
        (profile as { channelFreezeDays: number | null }).channelFreezeDays = 1;
      }).toThrow(TypeError);
    });
  });
});
