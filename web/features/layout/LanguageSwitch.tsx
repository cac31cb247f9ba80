import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { setLang, type Lang } from '../../i18n/index.ts';

/** 日本語 / English; remembered in this browser. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('lang.label')}
      value={i18n.language === 'en' ? 'en' : 'ja'}
      onChange={(v) => setLang(v as Lang)}
      data={[{ value: 'ja', label: '日本語' }, { value: 'en', label: 'English' }]}
    />
  );
}
