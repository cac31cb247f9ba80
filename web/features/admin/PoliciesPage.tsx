/**
 * SLA policies: the current targets per priority in words, the version history
 * (established / revised dates, notes), what changed between two versions, and a
 * revision form (admin) over the policy document, checked with the contract's schema.
 */
import { Alert, Badge, Button, Card, Grid, Group, List, NativeSelect, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ReviseSlaPolicyBody } from '../../../src/contract/desk.ts';
import { PRIORITIES, TARGET_KINDS } from '../../../src/contract/vocabulary.ts';
import { ApiError, asApiError, post } from '../../api/client.ts';
import { usePolicyVersion, useSession, useSlaPolicies } from '../../api/hooks.ts';
import type { SlaPolicy, SlaPolicyVersion } from '../../api/types.ts';
import { ErrorAlert, issueLine } from '../incidents/FieldErrors.tsx';
import { renderIssue } from '../../../src/i18n/issues.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatDate } from '../../lib/format.ts';
import { targetText } from '../portal/PortalHome.tsx';
import { TemplateEditor } from '../sla-document/TemplateEditor.tsx';
import { formable, PolicyDocForm } from './PolicyDocForm.tsx';

type Doc = SlaPolicy['document'];
type Tr = (k: string, o?: Record<string, unknown>) => string;

/** Flattened "priority.kind" → text, for a side-by-side diff. */
function describeDoc(doc: Doc, t: Tr): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of PRIORITIES) {
    for (const k of TARGET_KINDS) {
      const s = doc.priorities[p][k];
      out.set(`${t(`priority.${p}`)} · ${t(`sla.target.${k}`)}`, s ? `${targetText(t, s.clock)} (${t('admin.from')} ${t(`admin.anchor.${s.from}`)})` : '—');
    }
  }
  out.set(t('admin.atRisk'), `${Math.round(doc.atRiskThreshold * 100)}%`);
  out.set(t('admin.pauseWhileWaiting'), doc.pauseResolutionWhileWaiting ? t('common.yes') : t('common.no'));
  return out;
}

export function PoliciesPage() {
  const { t } = useTranslation();
  const policies = useSlaPolicies();
  const [selected, setSelected] = useState<string | null>(null);
  const policy = policies.data?.find((p) => p.id === selected) ?? policies.data?.[0];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('admin.policies')}</Title>
        <NativeSelect aria-label={t('admin.policy')} value={policy?.id ?? ''} onChange={(e) => setSelected(e.currentTarget.value)}
          data={(policies.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (v${p.currentVersion})` }))} />
      </Group>
      {policy && <PolicyView key={`${policy.id}-${policy.currentVersion}`} policy={policy} />}
    </Stack>
  );
}

function PolicyView({ policy }: { policy: SlaPolicy }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const session = useSession();
  const [compare, setCompare] = useState(Math.max(1, policy.currentVersion - 1));
  const older = usePolicyVersion(policy.id, policy.currentVersion > 1 ? compare : null);
  const current = describeDoc(policy.document, t);
  return (
    <Stack gap={0}>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder>
            <Group gap="xs">
              <Title order={2} size="h3">{policy.name}</Title>
              {policy.isDefault && <Badge>{t('admin.default')}</Badge>}
            </Group>
            <Text size="sm" c="dimmed">{t('admin.established')}: {formatDate(policy.establishedOn, lang)} · {t('common.version')} {policy.currentVersion}</Text>
            <Table mt="sm" withTableBorder fz="sm" data-testid="policy-targets">
              <Table.Tbody>
                {[...current].map(([k, v]) => <Table.Tr key={k}><Table.Th>{k}</Table.Th><Table.Td>{v}</Table.Td></Table.Tr>)}
              </Table.Tbody>
            </Table>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder>
            <Title order={2} size="h4">{t('admin.versions')}</Title>
            <Table fz="sm" mt="xs">
              <Table.Thead><Table.Tr><Table.Th>{t('common.version')}</Table.Th><Table.Th>{t('admin.revised')}</Table.Th><Table.Th>{t('admin.note')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {[...policy.versions].reverse().map((v) => (
                  <Table.Tr key={v.version}><Table.Td>v{v.version}</Table.Td><Table.Td>{formatDate(v.revisedOn, lang)}</Table.Td><Table.Td>{v.note}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {policy.currentVersion > 1 && (
              <Stack mt="md" gap="xs">
                <NativeSelect label={t('admin.changes', { from: compare })} value={String(compare)} onChange={(e) => setCompare(Number(e.currentTarget.value))}
                  data={policy.versions.filter((v) => v.version < policy.currentVersion).map((v) => ({ value: String(v.version), label: `v${v.version} → v${policy.currentVersion}` }))} />
                {older.data && <Diff older={older.data} current={current} t={t} />}
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      {/* Full width: the form's table of targets needs the room. */}
      {session.data?.user.role === 'admin' && <ReviseForm policy={policy} />}
      {session.data?.user.role === 'admin' && <TemplateEditor policyId={policy.id} />}
    </Stack>
  );
}

function Diff({ older, current, t }: { older: SlaPolicyVersion; current: Map<string, string>; t: Tr }) {
  const before = describeDoc(older.document, t);
  const changed = [...current].filter(([k, v]) => before.get(k) !== v);
  if (changed.length === 0) return <Text size="sm" c="dimmed">{t('admin.noChanges')}</Text>;
  return (
    <List size="sm" data-testid="policy-diff">
      {changed.map(([k, v]) => <List.Item key={k}><b>{k}</b>: <s>{before.get(k)}</s> → {v}</List.Item>)}
    </List>
  );
}

function ReviseForm({ policy }: { policy: SlaPolicy }) {
  const { t, i18n } = useTranslation();
  const labels = { document: t('admin.documentShort'), revisedOn: t('admin.revisedOn'), note: t('admin.note') };
  const qc = useQueryClient();
  const [doc, setDoc] = useState(() => JSON.stringify(policy.document, null, 2));
  const [revisedOn, setRevisedOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState('');
  const formDoc = useMemo(() => {
    try {
      const x: unknown = JSON.parse(doc);
      return formable(x) ? x : null;
    } catch {
      return null;
    }
  }, [doc]);
  const [issues, setIssues] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async () => {
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(doc);
    } catch {
      // JSON.parse's own text is English; the rule says it in the UI language.
      return setIssues([issueLine('document', renderIssue(i18n.language as Lang, 'custom', { rule: 'json' }), labels)]);
    }
    const r = ReviseSlaPolicyBody.safeParse({ document: parsed, revisedOn, ...(note ? { note } : {}) });
    // The place inside the document (priorities.urgent.start…) is what the editor needs to find it; it is JSON, not prose.
    if (!r.success) {
      return setIssues(r.error.issues.map((i) => {
        const [head, ...rest] = i.path.map(String);
        return issueLine(head ?? '', rest.length ? `${rest.join('.')} — ${i.message}` : i.message, labels);
      }));
    }
    setIssues([]);
    try {
      await post(`/sla-policies/${policy.id}/versions`, r.data);
      await qc.invalidateQueries({ queryKey: ['sla-policies'] });
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Card withBorder mt="md">
      <Title order={2} size="h4" mb="xs">{t('admin.revise')}</Title>
      <Stack gap="xs">
        <Group grow>
          <TextInput type="date" label={t('admin.revisedOn')} value={revisedOn} onChange={(e) => setRevisedOn(e.currentTarget.value)} />
          <TextInput label={t('admin.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        </Group>
        {formDoc ? <PolicyDocForm doc={formDoc} onChange={(d) => setDoc(JSON.stringify(d, null, 2))} /> : <Alert color="yellow">{t('adm.policy.unreadable')}</Alert>}
        <Textarea label={t('admin.document')} description={t('adm.policy.jsonHint')} autosize minRows={4} maxRows={24} ff="monospace" value={doc} onChange={(e) => setDoc(e.currentTarget.value)} />
        {issues.length > 0 && <Alert color="red" role="alert"><List size="sm">{issues.map((i) => <List.Item key={i}>{i}</List.Item>)}</List></Alert>}
        <ErrorAlert error={error} labels={labels} />
        <Group justify="flex-end"><Button onClick={() => void submit()}>{t('admin.revise')}</Button></Group>
      </Stack>
    </Card>
  );
}
