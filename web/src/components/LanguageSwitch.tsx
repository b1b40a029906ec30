import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

/** 中文 / English, remembered in localStorage. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      aria-label={t('lang.label')}
      size="small"
      value={i18n.language === 'en-US' ? 'en-US' : 'zh-CN'}
      onChange={(v) => setLanguage(v)}
      options={[
        { label: <span lang="zh-CN">{t('lang.zh')}</span>, value: 'zh-CN' },
        { label: <span lang="en">{t('lang.en')}</span>, value: 'en-US' },
      ]}
      data-testid="language-switch"
    />
  );
}
