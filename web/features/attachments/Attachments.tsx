/**
 * An incident's files in one list: those uploaded on the desk or the portal (with who
 * and when; staff may remove one) and those that came with its e-mails. Choosing a
 * file uploads it at once; the server checks its size and sniffs its type.
 */
import { ActionIcon, Anchor, Badge, Button, Card, FileButton, Group, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { mailAttachmentUrl, useIncidentMails } from '../../api/hooks.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';
import { formatSize } from '../incidents/MailCard.tsx';
import { attachmentUrl, useAttachments, useRemoveAttachment, useUploadAttachment } from './api.ts';

/** "20 MB", "1.5 MB", "512 KB": the limit as a person would say it. */
const limitText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;

interface Row {
  key: string;
  href: string;
  name: string;
  type: string;
  size: number;
  at: string;
  by: string;
  mail: boolean;
  removableId?: string;
}

export function Attachments({ incidentId, zone, staff }: { incidentId: string; zone: string; staff: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const list = useAttachments(incidentId);
  const mails = useIncidentMails(incidentId);
  const upload = useUploadAttachment(incidentId);
  const remove = useRemoveAttachment(incidentId);

  const rows: Row[] = [
    ...(list.data?.items ?? []).map((a) => ({
      key: a.id, href: attachmentUrl(a.id), name: a.fileName, type: a.mediaType, size: a.size, at: a.uploadedAt,
      by: a.uploadedBy.name ?? t('attachments.desk'), mail: false, ...(staff ? { removableId: a.id } : {}),
    })),
    ...(mails.data ?? []).flatMap((m) => m.attachments.map((a) => ({
      key: `${m.id}/${a.index}`, href: mailAttachmentUrl(m.id, a.index), name: a.filename, type: a.contentType, size: a.size, at: m.receivedAt,
      by: m.fromName ?? m.fromAddress ?? '—', mail: true,
    }))),
  ].sort((a, b) => a.at.localeCompare(b.at));

  const onRemove = (r: Row) => {
    if (r.removableId && window.confirm(t('attachments.removeConfirm', { name: r.name }))) remove.mutate(r.removableId);
  };

  return (
    <Card withBorder data-testid="attachments">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">{t('attachments.title')}</Title>
        <Group gap="xs">
          {list.data && <Text size="xs" c="dimmed">{t('attachments.limit', { size: limitText(list.data.maxBytes) })}</Text>}
          <FileButton onChange={(f) => { if (f) upload.mutate(f); }} inputProps={{ 'data-testid': 'attachment-input' } as object}>
            {(props) => <Button {...props} size="xs" variant="light" loading={upload.isPending}>{t('attachments.add')}</Button>}
          </FileButton>
        </Group>
      </Group>
      {upload.error && <ErrorAlert error={upload.error} />}
      {remove.error && <ErrorAlert error={remove.error} />}
      {list.error && <ErrorAlert error={list.error} />}
      {rows.length === 0 ? <Text size="sm" c="dimmed">{t('attachments.none')}</Text> : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={4} data-testid="attachment-list">
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key} data-testid="attachment" data-source={r.mail ? 'mail' : 'upload'}>
                  <Table.Td style={{ maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                    <Anchor href={r.href} download={r.name} size="sm" title={r.name}>{r.name}</Anchor>
                  </Table.Td>
                  <Table.Td><Text size="xs" c="dimmed">{formatSize(r.size)} · {r.type}</Text></Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {r.mail && <Badge size="xs" variant="light" color="grape">{t('attachments.fromMail')}</Badge>}
                      <Text size="xs" c="dimmed">{t('attachments.uploadedBy', { name: r.by, at: formatInstant(r.at, zone, lang) })}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td w={40}>
                    {r.removableId && (
                      <Tooltip label={t('attachments.remove')}>
                        <ActionIcon size="sm" variant="subtle" color="red" aria-label={t('attachments.remove')} onClick={() => onRemove(r)} loading={remove.isPending && remove.variables === r.removableId}>×</ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
