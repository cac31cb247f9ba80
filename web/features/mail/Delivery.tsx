/**
 * What became of the desk's e-mail, as the outbound job recorded it: a badge per
 * recipient (待機中 / 送信済み / 失敗) with the SMTP server's reply or the error on
 * hover and in a detail line, and the banner every page that sends mail shows when
 * this desk has no SMTP relay (nothing it "sends" leaves the building).
 */
import { Alert, Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MAIL_NOT_CONFIGURED } from '../../../src/contract/delivery.ts';
import { useDesk } from '../../api/hooks.ts';
import type { MailDelivery } from '../../api/types.ts';

const COLORS = { queued: 'yellow', sent: 'green', failed: 'red' } as const;

/** The server's words, or ours where we know what they mean. */
function useDetail() {
  const { t } = useTranslation();
  return (d: MailDelivery | null): string | null => {
    if (!d?.detail) return null;
    return d.detail === MAIL_NOT_CONFIGURED ? t('delivery.notConfigured') : d.detail;
  };
}

export function DeliveryBadge({ delivery }: { delivery: MailDelivery | null }) {
  const { t } = useTranslation();
  const detail = useDetail()(delivery);
  const badge = (
    <Badge size="sm" variant="light" color={delivery ? COLORS[delivery.status] : 'gray'} data-testid="delivery-status" data-status={delivery?.status ?? 'unknown'}>
      {delivery ? t(`delivery.${delivery.status}`) : t('delivery.unknown')}
    </Badge>
  );
  return detail ? <Tooltip label={detail} multiline maw={480} withArrow>{badge}</Tooltip> : badge;
}

/** One line per recipient: address, badge, and the server's reply or error below it. */
export function DeliveryList({ items }: { items: Array<{ key: string; recipient: string; delivery: MailDelivery | null; label?: string }> }) {
  const detailOf = useDetail();
  return (
    <Stack gap={4} data-testid="deliveries">
      {items.map((i) => {
        const detail = detailOf(i.delivery);
        return (
          <div key={i.key} data-testid="delivery" data-recipient={i.recipient}>
            <Group gap="xs" wrap="nowrap">
              <DeliveryBadge delivery={i.delivery} />
              <Text size="sm">{i.recipient}</Text>
              {i.label && <Text size="xs" c="dimmed">{i.label}</Text>}
            </Group>
            {detail && <Text size="xs" c={i.delivery?.status === 'failed' ? 'red' : 'dimmed'} ml={4} data-testid="delivery-detail" style={{ wordBreak: 'break-all' }}>{detail}</Text>}
          </div>
        );
      })}
    </Stack>
  );
}

/** Shown on every page that sends mail while the desk has no SMTP relay. */
export function OutboundMailBanner() {
  const { t } = useTranslation();
  const desk = useDesk();
  if (!desk.data || desk.data.outboundMail.configured) return null;
  return (
    <Alert color="red" variant="light" title={t('delivery.bannerTitle')} data-testid="outbound-mail-banner" role="alert">
      {t('delivery.bannerBody')}
    </Alert>
  );
}
