/**
 * The register's scoring criteria: every version (scale names, level bands with their review
 * periods, the overdue grace) and, for admins, a new version started from the current one.
 * A new version never rescales existing risks: they keep the version they were rated on.
 */
import { ActionIcon, Anchor, Badge, Button, Card, Group, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RISK_LEVELS, RiskCriteriaDocument } from '../../../src/contract/risks.ts';
import { ApiError, get, post } from '../../api/client.ts';
import { useSession } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';
import type { Level, RiskCriteriaVersion } from './api.ts';
import { LevelBadge, ZONE } from './RiskParts.tsx';

type Doc = RiskCriteriaVersion['document'];

export function RiskCriteriaPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const admin = useSession().data?.user.role === 'admin';
  const versions = useQuery({ queryKey: ['risk-criteria'], queryFn: async () => (await get<{ items: RiskCriteriaVersion[] }>('/risk-criteria')).items });
  const [shown, setShown] = useState<number | null>(null);
  const list = versions.data ?? [];
  const v = list.find((x) => x.version === shown) ?? list[0];
  return (
    <Stack>
      <Text size="sm" c="dimmed"><Anchor component={Link} to="/risks">{t('risks.title')}</Anchor></Text>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('risks.criteriaTitle')}</Title>
        <NativeSelect aria-label={t('risks.criteria')} value={String(v?.version ?? '')} onChange={(e) => setShown(Number(e.currentTarget.value))}
          data={list.map((x) => ({ value: String(x.version), label: `v${x.version}${x.current ? ` (${t('risks.currentVersion')})` : ''}` }))} />
      </Group>
      {v && (
        <Card withBorder data-testid="criteria-version">
          <Group gap="xs" mb="xs">
            <Title order={2} size="h4">v{v.version}</Title>
            {v.current && <Badge>{t('risks.currentVersion')}</Badge>}
            <Text size="sm" c="dimmed">{formatInstant(v.createdAt, ZONE, lang)}</Text>
            {v.note && <Text size="sm">— {v.note}</Text>}
          </Group>
          <DocView doc={v.document} />
        </Card>
      )}
      {admin && list[0] && <NewVersion key={list[0].version} from={list[0].document} />}
    </Stack>
  );
}

function DocView({ doc }: { doc: Doc }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <Group align="flex-start" gap="xl">
      {(['likelihood', 'impact'] as const).map((axis) => (
        <div key={axis}>
          <Text fw={600} size="sm">{t(`risks.${axis}`)}</Text>
          {doc[axis].map((s) => <Text key={s.value} size="sm">{s.value} {s[lang]}</Text>)}
        </div>
      ))}
      <div>
        <Text fw={600} size="sm">{t('risks.level')}</Text>
        <Table>
          <Table.Tbody>
            {doc.levels.map((b) => (
              <Table.Tr key={b.level}>
                <Table.Td><LevelBadge level={b.level} /></Table.Td>
                <Table.Td>{t('risks.fromScore', { score: b.minScore })}</Table.Td>
                <Table.Td>{t('risks.reviewEvery', { days: b.reviewDays })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm">{t('risks.overdueAfter', { days: doc.overdueAfterDays })}</Text>
      </div>
    </Group>
  );
}

function NewVersion({ from }: { from: Doc }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [doc, setDoc] = useState<Doc>(from);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const steps = (axis: 'likelihood' | 'impact') => doc[axis];
  const setSteps = (axis: 'likelihood' | 'impact', next: Doc['likelihood']) => setDoc({ ...doc, [axis]: next.map((s, i) => ({ ...s, value: i + 1 })) });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    // The contract's schema checks it here first, in the reader's language (the server checks again).
    const parsed = RiskCriteriaDocument.safeParse(doc);
    if (!parsed.success) {
      setError(new ApiError(400, 'validation.failed', t('risks.criteriaInvalid'), parsed.error.issues.map((i) => ({ path: ['body', 'document', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], code: i.code, message: i.message }))));
      return;
    }
    setBusy(true);
    try {
      await post('/risk-criteria', { document: doc, ...(note ? { note } : {}) });
      await Promise.all([qc.invalidateQueries({ queryKey: ['risk-criteria'] }), qc.invalidateQueries({ queryKey: ['risks'] })]);
      setNote('');
    } catch (x) {
      setError(x instanceof ApiError ? x : new ApiError(0, 'network', String(x)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder component="section" aria-labelledby="new-criteria">
      <Title order={2} size="h4" id="new-criteria">{t('risks.newVersion')}</Title>
      <Text size="sm" c="dimmed" mb="sm">{t('risks.newVersionHint')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Group align="flex-start" grow>
            {(['likelihood', 'impact'] as const).map((axis) => (
              <Stack key={axis} gap={4}>
                <Text fw={600} size="sm">{t(`risks.${axis}`)}</Text>
                {steps(axis).map((s, i) => (
                  <Group key={i} gap={4} wrap="nowrap">
                    <Text size="sm" w={16}>{i + 1}</Text>
                    <TextInput aria-label={`${t(`risks.${axis}`)} ${i + 1} ja`} value={s.ja} onChange={(e) => setSteps(axis, steps(axis).map((x, j) => (j === i ? { ...x, ja: e.currentTarget.value } : x)))} />
                    <TextInput aria-label={`${t(`risks.${axis}`)} ${i + 1} en`} value={s.en} onChange={(e) => setSteps(axis, steps(axis).map((x, j) => (j === i ? { ...x, en: e.currentTarget.value } : x)))} />
                    <ActionIcon variant="subtle" color="gray" aria-label={t('risks.removeStep')} disabled={steps(axis).length <= 2} onClick={() => setSteps(axis, steps(axis).filter((_, j) => j !== i))}>×</ActionIcon>
                  </Group>
                ))}
                <Button size="xs" variant="light" disabled={steps(axis).length >= 10} onClick={() => setSteps(axis, [...steps(axis), { value: 0, ja: '', en: '' }])}>{t('risks.addStep')}</Button>
              </Stack>
            ))}
          </Group>
          <Stack gap={4}>
            <Text fw={600} size="sm">{t('risks.level')}</Text>
            {doc.levels.map((b, i) => (
              <Group key={i} gap="xs" wrap="nowrap">
                <NativeSelect aria-label={`${t('risks.level')} ${i + 1}`} value={b.level} onChange={(e) => setDoc({ ...doc, levels: doc.levels.map((x, j) => (j === i ? { ...x, level: e.currentTarget.value as Level } : x)) })}
                  data={RISK_LEVELS.map((l) => ({ value: l, label: t(`risks.level_.${l}`) }))} />
                <NumberInput aria-label={t('risks.minScoreLabel')} leftSection="≥" min={1} value={b.minScore} onChange={(n) => setDoc({ ...doc, levels: doc.levels.map((x, j) => (j === i ? { ...x, minScore: Number(n) } : x)) })} w={110} />
                <NumberInput aria-label={t('risks.reviewDaysLabel')} min={1} value={b.reviewDays} onChange={(n) => setDoc({ ...doc, levels: doc.levels.map((x, j) => (j === i ? { ...x, reviewDays: Number(n) } : x)) })} w={110} />
                <Text size="sm">{t('risks.days')}</Text>
                <ActionIcon variant="subtle" color="gray" aria-label={t('risks.removeLevel')} disabled={doc.levels.length <= 1} onClick={() => setDoc({ ...doc, levels: doc.levels.filter((_, j) => j !== i) })}>×</ActionIcon>
              </Group>
            ))}
            <Button size="xs" variant="light" w={200} disabled={doc.levels.length >= RISK_LEVELS.length}
              onClick={() => setDoc({ ...doc, levels: [...doc.levels, { level: RISK_LEVELS.find((l) => !doc.levels.some((b) => b.level === l)) ?? 'low', minScore: (doc.levels.at(-1)?.minScore ?? 0) + 1, reviewDays: 30 }] })}>
              {t('risks.addLevel')}
            </Button>
          </Stack>
          <Group align="flex-end">
            <NumberInput label={t('risks.overdueAfterLabel')} min={1} value={doc.overdueAfterDays} onChange={(n) => setDoc({ ...doc, overdueAfterDays: Number(n) })} w={220} />
            <TextInput label={t('risks.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} style={{ flex: 1 }} />
            <Button type="submit" loading={busy}>{t('risks.saveVersion')}</Button>
          </Group>
          <ErrorAlert error={error} />
        </Stack>
      </form>
    </Card>
  );
}
