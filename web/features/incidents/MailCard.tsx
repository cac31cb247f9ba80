/**
 * The e-mails of an incident: who sent each one (and whether the sender is a
 * designated contact), subject, the plain-text body (for HTML-only mail the text
 * the server took from its HTML — never the HTML itself), the attachments as
 * download links, and on request the HTML version in a sandboxed frame (the server
 * also sends it under a sandboxing CSP: no scripts, no remote loads).
 */
import { Anchor, Badge, Button, Card, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mailAttachmentUrl, mailHtmlUrl, useIncidentMails, useIncidentOutbound } from '../../api/hooks.ts';
import type { IncidentMail } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { DeliveryList } from '../mail/Delivery.tsx';
import { ErrorAlert } from './FieldErrors.tsx';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function MailCard({ incidentId, zone, notViaDesignatedContact }: { incidentId: string; zone: string; notViaDesignatedContact: boolean }) {
  const { t } = useTranslation();
  const q = useIncidentMails(incidentId);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data || q.data.length === 0) return null;
  return (
    <Card withBorder data-testid="mails">
      <Title order={2} size="h4" mb="xs">{t('mail.title')}</Title>
      <Stack gap="sm">
        {q.data.map((m) => <MailItem key={m.id} mail={m} zone={zone} flag={notViaDesignatedContact && m.status === 'incident'} />)}
      </Stack>
    </Card>
  );
}

/** What the desk mailed about the incident (acknowledgements, replies) and what the SMTP server said (staff). */
export function OutboundCard({ incidentId, zone }: { incidentId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const q = useIncidentOutbound(incidentId);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data || q.data.length === 0) return null;
  return (
    <Card withBorder data-testid="outbound-mails">
      <Title order={2} size="h4" mb="xs">{t('mail.outbound')}</Title>
      <DeliveryList items={q.data.map((m) => ({
        key: m.id, recipient: m.to, delivery: m.delivery,
        label: `${t(`mail.kinds.${m.kind}`)} · ${formatInstant(m.createdAt, zone, i18n.language as Lang)}`,
      }))} />
    </Card>
  );
}

function MailItem({ mail: m, zone, flag }: { mail: IncidentMail; zone: string; flag: boolean }) {
  const { t, i18n } = useTranslation();
  const [showHtml, setShowHtml] = useState(false);
  const from = m.fromName ? `${m.fromName} <${m.fromAddress ?? ''}>` : (m.fromAddress ?? '—');
  return (
    <Paper withBorder p="sm" data-testid="mail" data-mail-id={m.id}>
      <Group justify="space-between" mb={4}>
        <Badge variant="light" color={m.status === 'incident' ? 'blue' : 'grape'}>{m.status === 'incident' ? t('mail.opened') : t('mail.reply')}</Badge>
        <Text size="xs" c="dimmed">{formatInstant(m.receivedAt, zone, i18n.language as Lang)}</Text>
      </Group>
      <Text size="sm"><b>{t('mail.from')}:</b> <span data-testid="mail-from">{from}</span></Text>
      {flag && <Text size="xs" c="red" fw={600} data-testid="mail-not-designated">⚠ {t('incident.notDesignated')}</Text>}
      <Text size="sm"><b>{t('mail.subject')}:</b> <span data-testid="mail-subject">{m.subject ?? ''}</span></Text>
      <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }} data-testid="mail-body">{m.text}</Text>
      {m.attachments.length > 0 && (
        <div>
          <Text size="xs" c="dimmed" mt="xs">{t('mail.attachments')}</Text>
          <List size="sm" data-testid="mail-attachments">
            {m.attachments.map((a) => (
              <List.Item key={a.index}>
                <Anchor href={mailAttachmentUrl(m.id, a.index)} download={a.filename}>{a.filename}</Anchor>
                <Text span size="xs" c="dimmed"> ({a.contentType}, {formatSize(a.size)})</Text>
              </List.Item>
            ))}
          </List>
        </div>
      )}
      {m.hasHtml && (
        <>
          <Button size="compact-xs" variant="subtle" mt="xs" aria-expanded={showHtml} onClick={() => setShowHtml(!showHtml)}>
            {showHtml ? t('mail.hideHtml') : t('mail.showHtml')}
          </Button>
          {showHtml && (
            // An empty sandbox: no scripts, no forms, no same-origin access (cookies, API).
            <iframe sandbox="" src={mailHtmlUrl(m.id)} title={t('mail.htmlFrame')} referrerPolicy="no-referrer"
              style={{ width: '100%', height: 360, border: '1px solid var(--mantine-color-gray-3)', background: 'white' }} />
          )}
        </>
      )}
    </Paper>
  );
}
