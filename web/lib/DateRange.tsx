import { Fragment } from 'react';
import type { Lang } from '../i18n/lang.ts';
import { dateRangeParts } from './format.ts';
import { ONE_LINE } from './table.ts';


/**
 * A period of dates, "2026年1月1日〜2026年12月31日" / "1 Jan 2026 – 31 Dec 2026": in a narrow column
 * the line breaks only between the two dates, never inside one (Japanese text may otherwise break
 * between any two characters: "2026年1月1日〜2026年12" / "月31日").
 */
export function DateRange({ from, to, lang }: { from: string; to: string | null | undefined; lang: Lang }) {
  const parts = dateRangeParts(from, to, lang);
  return (
    <span data-date-range>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && (lang === 'ja' ? <wbr /> : ' ')}
          <span style={ONE_LINE}>{p}</span>
        </Fragment>
      ))}
    </span>
  );
}
