/** Pieces shared by the console's and the portal's report pages: summary cards, the framed report, downloads. */
import { Alert, Anchor, Card, Group, NativeSelect, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { REPORT_CSV_TABLES, type ReportSummary } from '../../../src/contract/reports.ts';
import { API } from '../../api/client.ts';

export type Summary = z.infer<typeof ReportSummary>;

export function SummaryCards({ s }: { s: Summary }) {
  const { t } = useTranslation();
  const pct = (x: number | null, d = 1) => (x === null ? '—' : `${(x * 100).toFixed(d)}%`);
  const cards: Array<[string, string]> = [
    [t('reports.summary.incidents'), String(s.incidents)],
    [t('reports.summary.breaches'), String(s.breaches)],
    [t('reports.summary.resolveRate'), pct(s.resolveRate)],
    [t('reports.summary.open'), String(s.openAtMonthEnd)],
    [t('reports.summary.availability'), pct(s.availability, 2)],
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 5 }} data-testid="report-summary">
      {cards.map(([label, value]) => (
        <Card key={label} withBorder padding="sm">
          <Text size="xs" c="dimmed">{label}</Text>
          <Text size="xl" fw={600}>{value}</Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** The report's own HTML, shown in a frame (it carries its own styles; drill-down links are anchors inside it). */
export function ReportFrame({ src }: { src: string }) {
  const { t } = useTranslation();
  return (
    <iframe
      src={src}
      title={t('reports.frame')}
      data-testid="report-frame"
      style={{ width: '100%', height: '75vh', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6, background: 'white' }}
    />
  );
}

/** PDF and CSV downloads (and the HTML in a tab) for a base path: /reports/{id} or /reports/preview/{contract}/{month}. */
export function Downloads({ base, pdfAvailable }: { base: string; pdfAvailable: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const [table, setTable] = useState<string>('breaches');
  return (
    <Group gap="md" align="end" wrap="wrap">
      <Anchor href={`${API}${base}/html?lang=${lang}`} target="_blank" rel="noopener">{t('reports.html')}</Anchor>
      {pdfAvailable
        ? <Anchor href={`${API}${base}/pdf?lang=${lang}`} download data-testid="download-pdf">{t('reports.pdf')} {t('reports.download')}</Anchor>
        : <Alert color="yellow" p="xs">{t('reports.pdfUnavailable')}</Alert>}
      <NativeSelect
        label={t('reports.table')}
        value={table}
        onChange={(e) => setTable(e.currentTarget.value)}
        data={REPORT_CSV_TABLES.map((x) => ({ value: x, label: t(`reports.tables.${x}`) }))}
        size="xs"
      />
      <Anchor href={`${API}${base}/csv/${table}?lang=${lang}`} download data-testid="download-csv">{t('reports.csv')} {t('reports.download')}</Anchor>
    </Group>
  );
}
