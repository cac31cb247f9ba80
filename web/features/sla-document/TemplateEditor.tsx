/**
 * The SLA document's templates of a policy (admin): one Mustache template per language;
 * saving one writes a new version of the policy with the same targets (the server checks
 * every name the template uses and answers with the line of any problem).
 */
import { Alert, Badge, Button, Card, Code, Group, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, asApiError, type ApiError } from '../../api/client.ts';
import { useSlaTemplates, type SlaDocumentTemplates } from '../../api/dashboard.ts';
import type { Lang } from '../../i18n/index.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';

export function TemplateEditor({ policyId }: { policyId: string }) {
  const q = useSlaTemplates(policyId);
  // Kept here: a save writes a new version, and the editor below starts afresh on it.
  const [saved, setSaved] = useState<number | null>(null);
  return q.data ? <Editor key={`${q.data.version}`} data={q.data} saved={saved} onSaved={setSaved} /> : null;
}

function Editor({ data, saved, onSaved }: { data: SlaDocumentTemplates; saved: number | null; onSaved: (version: number) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [lang, setLang] = useState<Lang>('ja');
  const [bodies, setBodies] = useState({ ja: data.templates.ja.body, en: data.templates.en.body });
  const [revisedOn, setRevisedOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const tpl = data.templates[lang];
  const save = async () => {
    setError(null);
    try {
      const out = await api<SlaDocumentTemplates>('PUT', `/sla-policies/${data.policyId}/templates/${lang}`, { body: bodies[lang], revisedOn, ...(note ? { note } : {}) });
      onSaved(out.version);
      await Promise.all([qc.invalidateQueries({ queryKey: ['sla-templates'] }), qc.invalidateQueries({ queryKey: ['sla-policies'] }), qc.invalidateQueries({ queryKey: ['sla-document'] })]);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Card withBorder mt="md" data-testid="sla-template-editor">
      <Group justify="space-between">
        <Title order={2} size="h4">{t('slaDocument.templates')}</Title>
        <SegmentedControl value={lang} onChange={(v) => setLang(v as Lang)} data={[{ value: 'ja', label: '日本語' }, { value: 'en', label: 'English' }]} />
      </Group>
      <Text size="sm" c="dimmed" mb="xs">{t('slaDocument.templatesHelp')}</Text>
      <Badge variant="light" mb="xs">{tpl.source === 'custom' ? t('slaDocument.source.custom', { version: tpl.fromVersion }) : t('slaDocument.source.default')}</Badge>
      <Stack gap="xs">
        <Textarea label={t('slaDocument.body')} autosize minRows={10} maxRows={24} ff="monospace" fz="xs"
          value={bodies[lang]} onChange={(e) => setBodies({ ...bodies, [lang]: e.currentTarget.value })} />
        <Group grow>
          <TextInput type="date" label={t('slaDocument.revisedOn')} value={revisedOn} onChange={(e) => setRevisedOn(e.currentTarget.value)} />
          <TextInput label={t('slaDocument.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        </Group>
        {error && <ErrorAlert error={error} />}
        {saved !== null && <Alert color="green">{t('slaDocument.saved', { version: saved })}</Alert>}
        <Group><Button onClick={() => void save()}>{t('slaDocument.save')}</Button></Group>
        <Text size="xs" c="dimmed">{t('slaDocument.variables')}</Text>
        <Group gap={4}>{data.variables.map((v) => <Code key={v}>{v}</Code>)}</Group>
      </Stack>
    </Card>
  );
}
