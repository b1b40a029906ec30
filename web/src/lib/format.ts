/** Dates and numbers in the user's language (Intl, so zh-CN gets 2026/3/5 and 1,234). */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
  return useMemo(() => formatters(lang), [lang]);
}

function formatters(lang: 'zh-CN' | 'en-US') {
  const dateTime = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  const date = new Intl.DateTimeFormat(lang, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const shortDay = new Intl.DateTimeFormat(lang, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
  const number = new Intl.NumberFormat(lang);
  return {
    lang,
    dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
    date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
    /** 'YYYY-MM-DD' day keys from the API, shown short ("3月5日" / "Mar 5"). */
    day: (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`)),
    number: (n: number) => number.format(n),
  };
}
