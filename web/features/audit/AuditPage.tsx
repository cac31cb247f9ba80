/** The audit log (admin): who changed what and when, filtered by entity, record and actor, paged by cursor. */
import { Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { AuditEntry as AuditEntrySchema } from '../../../src/contract/desk.ts';
import { asApiError, get, qs } from '../../api/client.ts';
import { useUsers } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { ONE_LINE } from '../../lib/table.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';

type AuditEntry = z.infer<typeof AuditEntrySchema>;
const ZONE = 'Asia/Tokyo';

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const users = useUsers(true);
  const [draft, setDraft] = useState({ entity: '', entityId: '', actorId: '' });
  const [filter, setFilter] = useState(draft);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useQuery({
    queryKey: ['audit', filter, cursor],
    queryFn: () => get<{ items: AuditEntry[]; nextCursor: string | null }>(`/audit${qs({ ...filter, cursor, limit: 50 })}`),
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ entity: draft.entity.trim(), entityId: draft.entityId.trim(), actorId: draft.actorId.trim() });
    setCursors([]);
  };
  const who = (id: string) => users.data?.find((u) => u.id === id)?.name ?? id;
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack>
      <Title order={1} size="h2">{t('adm.audit.title')}</Title>
      <form onSubmit={apply}>
        <Group align="flex-end" gap="xs">
          <TextInput size="sm" label={t('adm.audit.entity')} placeholder="contract, user, incident…" value={draft.entity} onChange={(e) => setDraft({ ...draft, entity: e.currentTarget.value })} />
          <TextInput size="sm" label={t('adm.audit.entityId')} value={draft.entityId} onChange={(e) => setDraft({ ...draft, entityId: e.currentTarget.value })} />
          <TextInput size="sm" label={t('adm.audit.actorId')} value={draft.actorId} onChange={(e) => setDraft({ ...draft, actorId: e.currentTarget.value })} />
          <Button type="submit" size="sm">{t('adm.audit.apply')}</Button>
        </Group>
      </form>
      {page.error && <ErrorAlert error={asApiError(page.error)} />}
      <Table.ScrollContainer minWidth={760}>
        <Table striped fz="sm">
          <Table.Thead>
            <Table.Tr><Table.Th>{t('adm.audit.at')}</Table.Th><Table.Th>{t('adm.audit.actor')}</Table.Th><Table.Th>{t('adm.audit.entity')}</Table.Th><Table.Th>{t('adm.audit.action')}</Table.Th><Table.Th>{t('adm.audit.entityId')}</Table.Th><Table.Th /></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(page.data?.items ?? []).map((a) => (
              <Fragment key={a.id}>
                <Table.Tr data-testid="audit-row">
                  <Table.Td style={ONE_LINE}>{formatInstant(a.at, ZONE, lang)}</Table.Td>
                  <Table.Td>{who(a.actorId)} <Text span size="xs" c="dimmed">({a.actorRole})</Text></Table.Td>
                  <Table.Td>{a.entity}</Table.Td>
                  <Table.Td>{a.action}</Table.Td>
                  <Table.Td><Code fz="xs">{a.entityId}</Code></Table.Td>
                  <Table.Td><Button size="compact-xs" variant="default" onClick={() => setOpen(open === a.id ? null : a.id)}>{open === a.id ? t('common.close') : t('adm.audit.details')}</Button></Table.Td>
                </Table.Tr>
                {open === a.id && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Changes before={a.before} after={a.after} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {page.data?.items.length === 0 && <Text c="dimmed">{t('adm.audit.empty')}</Text>}
      <Group justify="center">
        {cursors.length > 0 && <Button variant="default" size="xs" onClick={() => setCursors(cursors.slice(0, -1))}>{t('adm.newer')}</Button>}
        {page.data?.nextCursor && <Button variant="default" size="xs" onClick={() => setCursors([...cursors, page.data.nextCursor!])}>{t('adm.older')}</Button>}
      </Group>
    </Stack>
  );
}

const show = (x: unknown) => (x === undefined ? '' : JSON.stringify(x, null, 1));
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Only the fields that changed, before → after; a record created or removed shows whole. */
function Changes({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const keys = isRecord(before) && isRecord(after)
    ? [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'updatedAt' && show(before[k]) !== show(after[k]))
    : null;
  if (!keys) {
    return (
      <Group grow align="flex-start">
        <Stack gap={2}><Text size="xs" fw={600}>{t('adm.audit.before')}</Text><Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{show(before ?? null)}</Code></Stack>
        <Stack gap={2}><Text size="xs" fw={600}>{t('adm.audit.after')}</Text><Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{show(after ?? null)}</Code></Stack>
      </Group>
    );
  }
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return (
    <Table fz="xs" withTableBorder data-testid="audit-changes">
      <Table.Thead><Table.Tr><Table.Th>{t('adm.audit.field')}</Table.Th><Table.Th>{t('adm.audit.before')}</Table.Th><Table.Th>{t('adm.audit.after')}</Table.Th></Table.Tr></Table.Thead>
      <Table.Tbody>
        {keys.map((k) => (
          <Table.Tr key={k}>
            <Table.Td><Code fz="xs">{k}</Code></Table.Td>
            <Table.Td style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{show(b[k])}</Table.Td>
            <Table.Td style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{show(a[k])}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
