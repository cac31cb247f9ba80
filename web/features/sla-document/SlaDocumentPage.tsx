/**
 * A contract's SLA document: the page the server renders (framed, sandboxed), in the
 * language chosen here (the UI's by default), with the PDF to download. The agent reaches
 * it from the contracts list, the contact from their portal (their own contracts only).
 */
import { Alert, Anchor, Button, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { API } from '../../api/client.ts';
import { useSlaDocument } from '../../api/dashboard.ts';
import type { Lang } from '../../i18n/index.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { useLookup } from '../incidents/lookup.ts';

export function SlaDocumentPage({ portal }: { portal: boolean }) {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const [lang, setLang] = useState<Lang>(i18n.language === 'en' ? 'en' : 'ja');
  const lk = useLookup(!portal);
  const q = useSlaDocument(id, lang);
  if (q.error?.notFound) return <NotFoundPage />;
  const contract = lk.contract(id);
  const base = `${API}/contracts/${id}/sla-document`;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Anchor component={Link} to={portal ? '/portal' : '/contracts'} size="sm">← {t('common.back')}</Anchor>
          <Title order={1} size="h2">{t('slaDocument.title')}{contract ? ` — ${contract.name}` : ''}</Title>
          {q.data && <Text size="sm" c="dimmed" data-testid="sla-version">{t('slaDocument.version', { version: q.data.policyVersion })}</Text>}
        </div>
        <Group>
          <SegmentedControl aria-label={t('slaDocument.language')} value={lang} onChange={(v) => setLang(v as Lang)}
            data={[{ value: 'ja', label: '日本語' }, { value: 'en', label: 'English' }]} />
          <Button component="a" href={`${base}.pdf?lang=${lang}`} download data-testid="sla-pdf">{t('slaDocument.pdf')}</Button>
          <Button component="a" variant="default" href={`${base}.html?lang=${lang}`} target="_blank" rel="noopener">{t('slaDocument.print')}</Button>
        </Group>
      </Group>
      {q.error && <Alert color="red">{q.error.message}</Alert>}
      {q.data && q.data.missing.length > 0 && (
        <Alert color="yellow" data-testid="sla-missing">
          {t('slaDocument.missing', { fields: q.data.missing.map((f) => t(`slaDocument.field.${f}`, { defaultValue: f })).join(lang === 'ja' ? '、' : ', ') })}
        </Alert>
      )}
      {q.data && (
        // The server's page, sandboxed (no script, no same-origin): an admin wrote its template.
        <iframe title={t('slaDocument.frameTitle', { contract: contract?.name ?? '' })} srcDoc={q.data.html} sandbox=""
          data-testid="sla-frame" style={{ width: '100%', height: '75vh', border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4, background: 'white' }} />
      )}
    </Stack>
  );
}
