/** One security incident at the desk: lifecycle, report clock, reports, scope, timeline, evidence with custody, links. */
import { Anchor, Badge, Button, Card, Checkbox, FileInput, Grid, Group, NativeSelect, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { LINK_KINDS, MANUAL_CUSTODY_ACTIONS, OUT_OF_SCOPE_CONDITIONS, REPORT_KINDS } from '../../../src/contract/security-incidents.ts';
import type { Lang } from '../../i18n/index.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { joinList } from '../../lib/format.ts';
import { formatInstant, useNow } from '../../lib/time.ts';
import { ErrorAlert, fieldErrors, pendingView } from '../incidents/FieldErrors.tsx';
import { DeliveryList } from '../mail/Delivery.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { evidenceUrl, fileToBase64, useSecurityAction, useSecurityIncident, type SecurityIncidentDetail } from './api.ts';
import { ClockCard, InstantsCard, RegulatoryCard, ReportsList, ScopeLine, SectionCard, SecurityHeader, TimelineList } from './parts.tsx';

/** The server checks and words every refusal (coded, translated); the browser's own bubbles would be in its language, not the page's. */
const NO_VALIDATE = { noValidate: true };

export function SecurityIncidentPage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const q = useSecurityIncident(id);
  const lk = useLookup(true);
  const now = useNow(1000);
  const pending = pendingView(q, t('common.loading'), <NotFoundPage />);
  if (pending || !q.data) return pending;
  const inc = q.data;
  return (
    <Stack>
      <SecurityHeader inc={inc} back="/security" backLabel={t('security.title')}>
        {inc.personalData && <Badge color="yellow" size="sm">{t('security.personalData')}</Badge>}
        <Text size="sm" c="dimmed">{lk.client(inc.clientId)?.name} / {lk.contract(inc.contractId)?.name}</Text>
      </SecurityHeader>
      <Commands inc={inc} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}><ClockCard inc={inc} now={now} /></Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}><RegulatoryCard inc={inc} /></Grid.Col>
      </Grid>
      <InstantsCard inc={inc} />
      <SectionCard title={t('security.reports.title')}>
        <ReportsList inc={inc} extra={(r) => (
          <>
            <Text size="xs" c="dimmed" mt={4} data-testid="report-reads">
              {r.reads.length ? t('security.reports.read', { names: joinList(r.reads.map((x) => x.by.name), i18n.language as Lang) }) : t('security.reports.unread')}
            </Text>
            {r.deliveries.length > 0 && (
              <Stack gap={2} mt={4}>
                <Text size="xs" fw={600}>{t('security.reports.mailed')}</Text>
                <DeliveryList items={r.deliveries.map((d) => ({ key: d.recipient, recipient: d.recipient, delivery: d }))} />
              </Stack>
            )}
          </>
        )} />
        <ReportForm inc={inc} />
      </SectionCard>
      <SectionCard title={t('security.scope.title')}>
        <ScopeLine inc={inc} />
        {inc.status !== 'closed' && <ScopeForm inc={inc} />}
      </SectionCard>
      <SectionCard title={t('security.timeline.title')}>
        <TimelineList inc={inc} />
        <ActionForm inc={inc} />
      </SectionCard>
      <EvidenceCard inc={inc} />
      <LinksCard inc={inc} />
    </Stack>
  );
}

function Commands({ inc }: { inc: SecurityIncidentDetail }) {
  const { t } = useTranslation();
  const act = useSecurityAction(inc.id);
  const [note, setNote] = useState('');
  if (inc.commands.length === 0) return null;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Textarea label={t('security.note')} autosize minRows={1} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Group>
          {inc.commands.map((c) => (
            <Button key={c} variant={c === 'close' ? 'default' : 'filled'} loading={act.isPending && act.variables?.path === c}
              onClick={() => act.mutate({ path: c, body: note ? { note } : {} }, { onSuccess: () => setNote('') })}>
              {t(`security.command.${c}`)}
            </Button>
          ))}
        </Group>
        <ErrorAlert error={act.error} />
      </Stack>
    </Card>
  );
}

function ReportForm({ inc }: { inc: SecurityIncidentDetail }) {
  const { t } = useTranslation();
  const act = useSecurityAction(inc.id);
  const next = inc.reports.length === 0 ? 'first' : 'follow_up';
  const [kind, setKind] = useState<string>(next);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const errors = fieldErrors(act.error);
  if (inc.reports.some((r) => r.kind === 'final')) return null;
  const shownKind = inc.reports.length === 0 ? 'first' : kind === 'first' ? 'follow_up' : kind;
  return (
    <Stack gap="xs" mt="md" component="form" {...NO_VALIDATE} onSubmit={(e) => {
      e.preventDefault();
      act.mutate({ path: 'reports', body: { kind: shownKind, title, body } }, { onSuccess: () => { setTitle(''); setBody(''); } });
    }}>
      <Title order={3} size="h5">{t('security.reports.issue')}</Title>
      <Group grow align="flex-start">
        <NativeSelect label={t('security.reports.kindLabel')} value={shownKind} onChange={(e) => setKind(e.currentTarget.value)}
          data={REPORT_KINDS.filter((k) => (inc.reports.length === 0 ? k === 'first' : k !== 'first')).map((k) => ({ value: k, label: t(`security.reports.kind.${k}`) }))} />
        <TextInput label={t('security.reports.titleField')} required value={title} error={errors.title} onChange={(e) => setTitle(e.currentTarget.value)} />
      </Group>
      <Textarea label={t('security.reports.body')} required autosize minRows={3} value={body} error={errors.body} onChange={(e) => setBody(e.currentTarget.value)} />
      <Text size="xs" c="dimmed">{t('security.reports.immutable')}</Text>
      <ErrorAlert error={act.error} labels={{ title: t('security.reports.titleField'), body: t('security.reports.body') }} />
      <Group><Button type="submit" loading={act.isPending}>{t('security.reports.issueButton')}</Button></Group>
    </Stack>
  );
}

function ScopeForm({ inc }: { inc: SecurityIncidentDetail }) {
  const { t } = useTranslation();
  const act = useSecurityAction(inc.id);
  const [condition, setCondition] = useState<string>('no_virus_check');
  const [reason, setReason] = useState('');
  const errors = fieldErrors(act.error);
  if (!inc.scope.inScope) {
    return <Group mt="sm"><Button variant="default" onClick={() => act.mutate({ path: 'scope', body: { inScope: true } })}>{t('security.scope.markIn')}</Button></Group>;
  }
  return (
    <Stack gap="xs" mt="sm" component="form" {...NO_VALIDATE} onSubmit={(e) => { e.preventDefault(); act.mutate({ path: 'scope', body: { inScope: false, condition, reason } }); }}>
      <Group grow align="flex-start">
        <NativeSelect label={t('security.scope.conditionLabel')} value={condition} onChange={(e) => setCondition(e.currentTarget.value)}
          data={OUT_OF_SCOPE_CONDITIONS.map((c) => ({ value: c, label: t(`security.scope.condition.${c}`) }))} />
        <TextInput label={t('security.scope.reason')} value={reason} error={errors.reason} onChange={(e) => setReason(e.currentTarget.value)} />
      </Group>
      <ErrorAlert error={act.error} labels={{ reason: t('security.scope.reason'), condition: t('security.scope.conditionLabel') }} />
      <Group><Button type="submit" variant="default">{t('security.scope.markOut')}</Button></Group>
    </Stack>
  );
}

function ActionForm({ inc }: { inc: SecurityIncidentDetail }) {
  const { t } = useTranslation();
  const act = useSecurityAction(inc.id);
  const [body, setBody] = useState('');
  const [visible, setVisible] = useState(false);
  return (
    <Stack gap="xs" mt="md" component="form" {...NO_VALIDATE} onSubmit={(e) => {
      e.preventDefault();
      act.mutate({ path: 'actions', body: { body, visibility: visible ? 'public' : 'internal' } }, { onSuccess: () => setBody('') });
    }}>
      <Textarea label={t('security.timeline.add')} required autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
      <Group>
        <Checkbox label={t('security.timeline.public')} checked={visible} onChange={(e) => setVisible(e.currentTarget.checked)} />
        <Button type="submit" variant="default" loading={act.isPending}>{t('security.timeline.addButton')}</Button>
      </Group>
      <ErrorAlert error={act.error} labels={{ body: t('security.timeline.add') }} />
    </Stack>
  );
}

function EvidenceCard({ inc }: { inc: SecurityIncidentDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const act = useSecurityAction(inc.id);
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState('');
  const [share, setShare] = useState(false);
  const upload = async () => {
    if (!file) return;
    const contentBase64 = await fileToBase64(file);
    act.mutate({ path: 'evidence', body: { fileName: file.name, mediaType: file.type || 'application/octet-stream', contentBase64, description, shared: share } }, {
      onSuccess: () => { setFile(null); setDescription(''); setShare(false); },
    });
  };
  return (
    <SectionCard title={t('security.evidence.title')}>
      {inc.evidence.length === 0 && <Text size="sm" c="dimmed">{t('security.evidence.none')}</Text>}
      <Stack>
        {inc.evidence.map((e) => (
          <Card key={e.id} withBorder padding="sm" data-testid="evidence" data-file={e.fileName}>
            <Group justify="space-between" wrap="nowrap">
              <div>
                <Anchor href={evidenceUrl(inc.id, e.id)} download={e.fileName}>{e.fileName}</Anchor>
                <Text size="xs" c="dimmed">{e.sizeBytes} B · {e.mediaType}{e.description ? ` · ${e.description}` : ''}</Text>
                <Text size="xs" ff="monospace" data-testid="sha256">SHA-256 {e.sha256}</Text>
              </div>
              <Group gap="xs" wrap="nowrap">
                <Badge color={e.shared ? 'green' : 'gray'} variant="light">{e.shared ? t('security.evidence.shared') : t('security.evidence.notShared')}</Badge>
                <Button size="xs" variant="default" onClick={() => act.mutate({ path: `evidence/${e.id}/verify` })}>{t('security.evidence.verify')}</Button>
                <Button size="xs" variant="default" onClick={() => act.mutate({ path: `evidence/${e.id}/share`, body: { shared: !e.shared } })}>
                  {e.shared ? t('security.evidence.unshare') : t('security.evidence.share')}
                </Button>
              </Group>
            </Group>
            <Text size="xs" fw={600} mt="xs">{t('security.evidence.custody')}</Text>
            <Table withRowBorders={false} verticalSpacing={2} fz="xs">
              <Table.Tbody>
                {e.custody.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td w={190}>{formatInstant(c.at, inc.timeZone, lang)}</Table.Td>
                    <Table.Td w={110}>{t(`security.evidence.custodyAction.${c.action}`)}</Table.Td>
                    <Table.Td w={120}>{c.by.name}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{c.note}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <CustodyForm inc={inc} evidenceId={e.id} />
          </Card>
        ))}
        <Stack gap="xs" component="form" {...NO_VALIDATE} onSubmit={(ev) => { ev.preventDefault(); void upload(); }}>
          <Group grow align="flex-end">
            <FileInput label={t('security.evidence.file')} value={file} onChange={setFile} clearable />
            <TextInput label={t('security.evidence.descriptionField')} value={description} onChange={(ev) => setDescription(ev.currentTarget.value)} />
          </Group>
          <Group>
            <Checkbox label={t('security.evidence.shareNow')} checked={share} onChange={(ev) => setShare(ev.currentTarget.checked)} />
            <Button type="submit" variant="default" disabled={!file} loading={act.isPending && act.variables?.path === 'evidence'}>{t('security.evidence.upload')}</Button>
          </Group>
          <ErrorAlert error={act.error} />
        </Stack>
      </Stack>
    </SectionCard>
  );
}

function CustodyForm({ inc, evidenceId }: { inc: SecurityIncidentDetail; evidenceId: string }) {
  const { t } = useTranslation();
  const act = useSecurityAction(inc.id);
  const [action, setAction] = useState<string>('transferred');
  const [note, setNote] = useState('');
  return (
    <Group gap="xs" mt="xs" align="flex-end" component="form" {...NO_VALIDATE} onSubmit={(e) => {
      e.preventDefault();
      act.mutate({ path: `evidence/${evidenceId}/custody`, body: { action, note } }, { onSuccess: () => setNote('') });
    }}>
      <NativeSelect size="xs" label={t('security.evidence.addCustody')} value={action} onChange={(e) => setAction(e.currentTarget.value)}
        data={MANUAL_CUSTODY_ACTIONS.map((a) => ({ value: a, label: t(`security.evidence.custodyAction.${a}`) }))} />
      <TextInput size="xs" label={t('security.evidence.custodyNote')} required value={note} onChange={(e) => setNote(e.currentTarget.value)} style={{ flex: 1 }} />
      <Button size="xs" type="submit" variant="default">{t('security.save')}</Button>
    </Group>
  );
}

function LinksCard({ inc }: { inc: SecurityIncidentDetail }) {
  const { t } = useTranslation();
  const act = useSecurityAction(inc.id);
  const [kind, setKind] = useState<string>('risk');
  const [targetId, setTargetId] = useState('');
  const [note, setNote] = useState('');
  return (
    <SectionCard title={t('security.links.title')}>
      <Stack gap={4}>
        {inc.links.map((l) => <Text key={l.id} size="sm">{t(`security.links.kind.${l.kind}`)}: {l.targetId}{l.note ? ` — ${l.note}` : ''}</Text>)}
      </Stack>
      <Group gap="xs" mt="sm" align="flex-end" component="form" {...NO_VALIDATE} onSubmit={(e) => {
        e.preventDefault();
        act.mutate({ path: 'links', body: { kind, targetId, ...(note ? { note } : {}) } }, { onSuccess: () => { setTargetId(''); setNote(''); } });
      }}>
        <NativeSelect label={t('security.kindLabel')} value={kind} onChange={(e) => setKind(e.currentTarget.value)} data={LINK_KINDS.map((k) => ({ value: k, label: t(`security.links.kind.${k}`) }))} />
        <TextInput label={t('security.links.targetId')} required value={targetId} onChange={(e) => setTargetId(e.currentTarget.value)} />
        <TextInput label={t('security.links.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Button type="submit" variant="default">{t('security.links.add')}</Button>
      </Group>
      <ErrorAlert error={act.error} />
    </SectionCard>
  );
}
