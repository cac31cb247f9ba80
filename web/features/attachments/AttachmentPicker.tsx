/**
 * Files chosen on a form that files an incident (phone log, portal inquiry): they are
 * uploaded right after the incident is created. Should one be refused (too large, say),
 * the incident stands and the form says which file and why, with a link to it.
 */
import { Alert, Anchor, Button, CloseButton, FileButton, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { asApiError } from '../../api/client.ts';
import { formatSize } from '../incidents/MailCard.tsx';
import { uploadAttachment } from './api.ts';

export function AttachmentPicker({ files, onChange }: { files: File[]; onChange: (files: File[]) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text size="sm" fw={500}>{t('attachments.pick')}</Text>
        <FileButton multiple onChange={(fs) => onChange([...files, ...fs])} inputProps={{ 'data-testid': 'attachment-pick' } as object}>
          {(props) => <Button {...props} size="compact-sm" variant="light">{t('attachments.choose')}</Button>}
        </FileButton>
      </Group>
      <Text size="xs" c="dimmed">{t('attachments.pickHint')}</Text>
      {files.map((f, i) => (
        <Group key={`${f.name}-${i}`} gap="xs" data-testid="picked-file">
          <Text size="sm">{f.name}</Text>
          <Text size="xs" c="dimmed">{formatSize(f.size)}</Text>
          <CloseButton size="sm" aria-label={t('attachments.remove')} onClick={() => onChange(files.filter((_, j) => j !== i))} />
        </Group>
      ))}
    </Stack>
  );
}

export interface RefusedUpload { number: number; path: string; name: string; message: string }

/** Uploads the chosen files to the new incident; the first refusal, if any (the rest are not tried). */
export async function uploadPicked(incident: { id: string; number: number }, files: File[], path: string): Promise<RefusedUpload | null> {
  for (const f of files) {
    try {
      await uploadAttachment(incident.id, f);
    } catch (x) {
      return { number: incident.number, path, name: f.name, message: asApiError(x).message };
    }
  }
  return null;
}

export function RefusedUploadAlert({ refused }: { refused: RefusedUpload }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" data-testid="upload-refused">
      {t('attachments.filedButRefused', { number: refused.number, name: refused.name, message: refused.message })}{' '}
      <Anchor component={Link} to={refused.path}>{t('attachments.openIncident', { number: refused.number })}</Anchor>
    </Alert>
  );
}
