/**
 * Maintenance (保守日程) for staff: pick a contract, see its windows in the
 * contract calendar's zone, schedule a planned window while the notice rule's
 * deadline is shown, announce it (a late announcement is refused with the API's
 * message unless made emergency maintenance with a reason), cancel it, and
 * publish the ICS feed and status page.
 */
import { Alert, Anchor, Badge, Button, Card, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import {
  AnnounceBody, CancelMaintenanceBody, CreateMaintenanceBody,
  type MaintenanceSettings as MaintenanceSettingsSchema, type MaintenanceWindow as MaintenanceWindowSchema,
  type MaintenanceWindowDetail as MaintenanceWindowDetailSchema, type NoticeAnswer as NoticeAnswerSchema, type Publication as PublicationSchema,
} from '../../../src/contract/maintenance.ts';
import { api, ApiError, asApiError, get, post, qs } from '../../api/client.ts';
import { whileQueued } from '../../api/hooks.ts';
import type { Page } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { zoneName } from '../../lib/format.ts';
import { ONE_LINE, WHOLE_WORDS } from '../../lib/table.ts';
import { formatInstant, toLocalInput } from '../../lib/time.ts';
import { RescheduleButton } from './RescheduleButton.tsx';
import { SeriesCard } from './SeriesCard.tsx';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { DeliveryList, OutboundMailBanner } from '../mail/Delivery.tsx';

type MaintenanceWindow = z.infer<typeof MaintenanceWindowSchema>;
type MaintenanceWindowDetail = z.infer<typeof MaintenanceWindowDetailSchema>;
type NoticeAnswer = z.infer<typeof NoticeAnswerSchema>;
type MaintenanceSettings = z.infer<typeof MaintenanceSettingsSchema>;
type Publication = z.infer<typeof PublicationSchema>;

const HOUR = 3_600_000;

/** "YYYY-MM-DDTHH:MM" wall time in `zone` → the instant (ms), or null when unreadable. */
export function fromLocalInput(local: string, zone: string): number | null {
  const asUtc = fromLocalInputUtc(local);
  if (asUtc === null) return null;
  // The zone's offset at that moment; a second pass settles it across an offset change.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = toLocalInput(guess, zone);
    const back = fromLocalInputUtc(shown);
    if (back === null) return null;
    guess = guess + (asUtc - back);
  }
  return guess;
}
function fromLocalInputUtc(local: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) : null;
}

export function MaintenancePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const lk = useLookup(true);
  const [contractId, setContractId] = useState('');
  const contract = lk.contract(contractId);
  const zone = lk.zone(contract?.calendarId);
  return (
    <Stack>
      <Title order={1} size="h2">{t('maintenance.title')}</Title>
      <OutboundMailBanner />
      <NativeSelect label={t('maintenance.contract')} value={contractId} onChange={(e) => setContractId(e.currentTarget.value)}
        data={[{ value: '', label: '—' }, ...lk.contracts.map((c) => ({ value: c.id, label: `${lk.client(c.clientId)?.name ?? ''} / ${c.name}` }))]} maw={520} />
      {contract ? (
        <>
          <Text size="sm" c="dimmed" data-testid="maintenance-zone">{t('common.timesIn', { zone: zoneName(zone, lang, true) })}</Text>
          <Windows contractId={contract.id} zone={zone} />
          <Schedule contractId={contract.id} zone={zone} />
          <SeriesCard contract={contract} />
          <PublicationCard contractId={contract.id} zone={zone} />
        </>
      ) : (
        <>
          <Text c="dimmed">{t('maintenance.pickContract')}</Text>
          <UpcomingEverywhere onPick={setContractId} />
        </>
      )}
    </Stack>
  );
}

/**
 * Before a contract is chosen: what is coming on every contract, so the desk sees this week's
 * windows (and the drafts still to announce) without opening each contract in turn.
 */
function UpcomingEverywhere({ onPick }: { onPick: (contractId: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const lk = useLookup(true);
  // The start of the current minute: one query key a minute, not one per render.
  const from = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  const upcoming = useQuery({
    queryKey: ['maintenance', 'upcoming', from],
    queryFn: async () => (await get<Page<MaintenanceWindow>>(`/maintenance${qs({ from, limit: 200 })}`)).items,
  });
  const items = upcoming.data ?? [];
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('maintenance.upcomingAll')}</Text>
      {items.length === 0 ? (
        <Text c="dimmed" size="sm">{upcoming.isPending ? t('common.loading') : t('maintenance.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped fz="sm" styles={{ td: WHOLE_WORDS }} data-testid="maintenance-upcoming">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('maintenance.contract')}</Table.Th><Table.Th>{t('maintenance.titleField')}</Table.Th>
                <Table.Th>{t('maintenance.startsAt')}</Table.Th><Table.Th>{t('maintenance.endsAt')}</Table.Th><Table.Th>{t('maintenance.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((w) => {
                const contract = lk.contract(w.contractId);
                const zone = lk.zone(contract?.calendarId);
                return (
                  <Table.Tr key={w.id} data-window={w.id}>
                    <Table.Td>
                      <Anchor component="button" type="button" size="sm" ta="left" onClick={() => onPick(w.contractId)}>{contract?.name ?? '—'}</Anchor>
                      <Text size="xs" c="dimmed">{lk.client(contract?.clientId ?? '')?.name}</Text>
                    </Table.Td>
                    <Table.Td>{w.title}</Table.Td>
                    <Table.Td>{formatInstant(w.startsAt, zone, lang)}</Table.Td>
                    <Table.Td>{formatInstant(w.endsAt, zone, lang)}</Table.Td>
                    <Table.Td style={ONE_LINE}>
                      <WindowStatus status={w.status} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function WindowStatus({ status }: { status: MaintenanceWindow['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" data-status={status} color={status === 'announced' ? 'green' : status === 'cancelled' ? 'gray' : 'yellow'}>
      {t(`maintenance.statuses.${status}`)}
    </Badge>
  );
}

function useWindows(contractId: string) {
  return useQuery({
    queryKey: ['maintenance', contractId],
    queryFn: async () => (await get<Page<MaintenanceWindow>>(`/maintenance${qs({ contractId, includeCancelled: 'true', limit: 500 })}`)).items,
  });
}

function Windows({ contractId, zone }: { contractId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const qc = useQueryClient();
  const windows = useWindows(contractId);
  const [failed, setFailed] = useState<{ id: string; error: ApiError } | null>(null);
  const [reason, setReason] = useState('');
  const [reasonErr, setReasonErr] = useState<string | null>(null);
  const [done, setDone] = useState<MaintenanceWindowDetail | null>(null);
  const [cancelling, setCancelling] = useState<MaintenanceWindow | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  const announce = async (id: string, emergencyReason?: string) => {
    setBusy(true);
    setDone(null);
    try {
      const body = AnnounceBody.parse(emergencyReason !== undefined ? { emergencyReason } : {});
      const r = await post<MaintenanceWindowDetail>(`/maintenance/${id}/announce`, body);
      setFailed(null);
      setReason('');
      setDone(r);
      await qc.invalidateQueries({ queryKey: ['maintenance', contractId] });
    } catch (x) {
      setFailed({ id, error: asApiError(x) });
    } finally {
      setBusy(false);
    }
  };
  const announceEmergency = async (e: FormEvent) => {
    e.preventDefault();
    if (!failed) return;
    if (!reason.trim()) return setReasonErr(t('maintenance.reasonRequired'));
    setReasonErr(null);
    await announce(failed.id, reason);
  };

  const items = windows.data ?? [];
  const failedWindow = failed ? items.find((w) => w.id === failed.id) : undefined;
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('maintenance.windows')}</Text>
      {items.length === 0 ? (
        <Text c="dimmed" size="sm">{windows.isPending ? t('common.loading') : t('maintenance.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped fz="sm" styles={{ td: WHOLE_WORDS }} data-testid="maintenance-windows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('maintenance.titleField')}</Table.Th><Table.Th>{t('maintenance.kind')}</Table.Th><Table.Th>{t('maintenance.startsAt')}</Table.Th>
                <Table.Th>{t('maintenance.endsAt')}</Table.Th><Table.Th>{t('maintenance.status')}</Table.Th><Table.Th>{t('maintenance.announcedAt')}</Table.Th>
                <Table.Th>{t('incident.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((w) => (
                <Fragment key={w.id}>
                <Table.Tr data-window={w.id}>
                  <Table.Td>{w.title}</Table.Td>
                  <Table.Td>{t(`maintenance.kinds.${w.kind}`)}</Table.Td>
                  <Table.Td>{formatInstant(w.startsAt, zone, lang)}</Table.Td>
                  <Table.Td>{formatInstant(w.endsAt, zone, lang)}</Table.Td>
                  <Table.Td style={ONE_LINE}>
                    <WindowStatus status={w.status} />
                    {w.noticeInTime === false && <Badge ml={4} size="xs" color="red" variant="light">{t('maintenance.late')}</Badge>}
                  </Table.Td>
                  <Table.Td>{formatInstant(w.announcedAt, zone, lang)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {w.status === 'draft' && (
                        <Button size="compact-xs" disabled={busy} onClick={() => void announce(w.id)}>{t('maintenance.announce')}</Button>
                      )}
                      {w.status !== 'cancelled' && <RescheduleButton window={w} contractId={contractId} zone={zone} toMs={fromLocalInput} />}
                      {w.status !== 'cancelled' && (
                        <Button size="compact-xs" variant="default" onClick={() => setCancelling(w)}>{t('maintenance.cancelWindow')}</Button>
                      )}
                      {w.announcedAt !== null && (
                        <Button size="compact-xs" variant="subtle" aria-expanded={open === w.id} onClick={() => setOpen(open === w.id ? null : w.id)}>
                          {open === w.id ? t('maintenance.hideNotices') : t('maintenance.showNotices')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {open === w.id && (
                  <Table.Tr data-notices-of={w.id}>
                    <Table.Td colSpan={7}><WindowNotices windowId={w.id} zone={zone} /></Table.Td>
                  </Table.Tr>
                )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {failed && (
        <Stack gap="xs" mt="sm" data-testid="announce-error">
          <ErrorAlert error={failed.error} />
          {failed.error.code === 'maintenance.notice.conflict' && failedWindow?.status === 'draft' && (
            <form onSubmit={(e) => void announceEmergency(e)} noValidate>
              <Group align="flex-end">
                <TextInput label={t('maintenance.emergencyReason')} required value={reason} error={reasonErr} style={{ flex: 1 }}
                  onChange={(e) => setReason(e.currentTarget.value)} />
                <Button type="submit" color="red" disabled={busy}>{t('maintenance.announceEmergency')}</Button>
              </Group>
            </form>
          )}
        </Stack>
      )}
      {done && (
        <Alert color="blue" mt="sm" data-testid="announce-done" title={t('maintenance.announced', { title: done.title })}>
          {done.notices.length > 0
            ? <><Text size="sm" mb={4}>{t('maintenance.notified')}</Text><WindowNotices windowId={done.id} zone={zone} initial={done} /></>
            : t('maintenance.nobodyNotified')}
        </Alert>
      )}
      <CancelDialog window={cancelling} onClose={() => setCancelling(null)} contractId={contractId} />
    </Card>
  );
}

/**
 * Who was told what about a window, and what the SMTP server said to each: polled while
 * a mail is still queued, so "送信済み" appears when the relay accepted it, not before.
 */
function WindowNotices({ windowId, zone, initial }: { windowId: string; zone: string; initial?: MaintenanceWindowDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const q = useQuery<MaintenanceWindowDetail, ApiError>({
    queryKey: ['maintenance-window', windowId],
    queryFn: () => get<MaintenanceWindowDetail>(`/maintenance/${windowId}`),
    ...(initial ? { initialData: initial } : {}),
    refetchInterval: (query) => whileQueued((query.state.data?.notices ?? []).some((n) => n.delivery?.status === 'queued')),
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  const notices = q.data?.notices ?? [];
  if (notices.length === 0) return <Text size="sm" c="dimmed">{q.isPending ? t('common.loading') : t('maintenance.noNotices')}</Text>;
  return (
    <DeliveryList items={notices.map((n) => ({
      key: n.id, recipient: n.email, delivery: n.delivery,
      label: `${t(`maintenance.noticeKinds.${n.kind}`)} · ${formatInstant(n.notifiedAt, zone, lang)}`,
    }))} />
  );
}

function CancelDialog({ window: w, onClose, contractId }: { window: MaintenanceWindow | null; onClose: () => void; contractId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const close = () => {
    setReason('');
    setErr(null);
    onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!w) return;
    const r = CancelMaintenanceBody.safeParse({ reason });
    if (!r.success) return setErr(r.error);
    try {
      await post(`/maintenance/${w.id}/cancel`, r.data);
      await qc.invalidateQueries({ queryKey: ['maintenance', contractId] });
      await qc.invalidateQueries({ queryKey: ['maintenance-window', w.id] });
      close();
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <Modal opened={w !== null} onClose={close} title={t('maintenance.cancelTitle', { title: w?.title ?? '' })}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs">
          <TextInput label={t('common.reason')} required value={reason} error={fieldErrors(err).reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {err instanceof ApiError && <ErrorAlert error={err} />}
          <Group justify="flex-end"><Button type="submit" color="red">{t('maintenance.cancelWindow')}</Button></Group>
        </Stack>
      </form>
    </Modal>
  );
}

function Schedule({ contractId, zone }: { contractId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const qc = useQueryClient();
  const [v, setV] = useState<{ start: string; end: string; title: string; description: string }>(() => {
    const start = Math.ceil((Date.now() + 7 * 24 * HOUR) / HOUR) * HOUR;
    return { start: toLocalInput(start, zone), end: toLocalInput(start + 2 * HOUR, zone), title: '', description: '' };
  });
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [created, setCreated] = useState<MaintenanceWindowDetail | null>(null);
  const startsMs = fromLocalInput(v.start, zone);
  const startsAt = startsMs === null ? null : new Date(startsMs).toISOString();
  const [debounced, setDebounced] = useState(startsAt);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(startsAt), 250);
    return () => clearTimeout(id);
  }, [startsAt]);
  const notice = useQuery<NoticeAnswer, ApiError>({
    queryKey: ['maintenance-notice', contractId, debounced],
    queryFn: () => get<NoticeAnswer>(`/contracts/${contractId}/maintenance-notice${qs({ startsAt: debounced })}`),
    enabled: debounced !== null,
    retry: false,
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const endsMs = fromLocalInput(v.end, zone);
    const r = CreateMaintenanceBody.safeParse({
      contractId, kind: 'planned', title: v.title,
      startsAt: startsAt ?? v.start, endsAt: endsMs === null ? v.end : new Date(endsMs).toISOString(),
      ...(v.description.trim() ? { description: v.description } : {}),
    });
    if (!r.success) return setErr(r.error);
    try {
      const w = await post<MaintenanceWindowDetail>('/maintenance', r.data);
      setErr(null);
      setCreated(w);
      setV({ ...v, title: '', description: '' });
      await qc.invalidateQueries({ queryKey: ['maintenance', contractId] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  const n = notice.data;
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('maintenance.schedule')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="xs">
          <TextInput type="datetime-local" label={t('maintenance.startsAt')} required value={v.start} error={errors.startsAt}
            onChange={(e) => setV({ ...v, start: e.currentTarget.value })} />
          <TextInput type="datetime-local" label={t('maintenance.endsAt')} required value={v.end} error={errors.endsAt}
            onChange={(e) => setV({ ...v, end: e.currentTarget.value })} />
          <TextInput label={t('maintenance.titleField')} required value={v.title} error={errors.title} onChange={(e) => setV({ ...v, title: e.currentTarget.value })} />
          <TextInput label={t('common.description')} value={v.description} error={errors.description} onChange={(e) => setV({ ...v, description: e.currentTarget.value })} />
        </SimpleGrid>
        <Text size="sm" mt="xs" data-testid="notice-deadline" data-in-time={n ? String(n.inTimeNow) : undefined}>
          {n
            ? t('maintenance.deadline', { at: formatInstant(n.latestAnnouncementAt, n.timeZone, lang), n: n.noticeBusinessDays })
            : notice.error ? notice.error.message : '—'}
          {n && !n.inTimeNow && <Badge ml="xs" color="red" variant="light">{t('maintenance.tooLate')}</Badge>}
        </Text>
        {err instanceof ApiError && <ErrorAlert error={err} />}
        <Group justify="space-between" mt="xs">
          <Text size="sm" c="dimmed">{created ? t('maintenance.created', { title: created.title }) : t('maintenance.draftHint')}</Text>
          <Button type="submit">{t('maintenance.scheduleSubmit')}</Button>
        </Group>
      </form>
    </Card>
  );
}

function PublicationCard({ contractId, zone }: { contractId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const qc = useQueryClient();
  const settings = useQuery<MaintenanceSettings, ApiError>({
    queryKey: ['maintenance-settings', contractId],
    queryFn: () => get<MaintenanceSettings>(`/contracts/${contractId}/maintenance-settings`),
  });
  const [published, setPublished] = useState<Publication | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => setPublished(null), [contractId]);
  const publish = async () => {
    try {
      setPublished(await post<Publication>(`/contracts/${contractId}/publication`));
      setErr(null);
      await qc.invalidateQueries({ queryKey: ['maintenance-settings', contractId] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const withdraw = async () => {
    try {
      await api<MaintenanceSettings>('DELETE', `/contracts/${contractId}/publication`);
      setPublished(null);
      setErr(null);
      await qc.invalidateQueries({ queryKey: ['maintenance-settings', contractId] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const s = settings.data;
  return (
    <Card withBorder data-testid="publication">
      <Text fw={600} mb="xs">{t('maintenance.publication')}</Text>
      <Stack gap="xs">
        {s && (
          <Text size="sm" data-published={String(s.published)}>
            {s.published
              ? t('maintenance.publishedSince', { at: formatInstant(s.publishedAt, zone, lang), prefix: s.publicTokenPrefix ?? '' })
              : t('maintenance.notPublished')}
            {' '}{t('maintenance.noticeDays', { n: s.noticeBusinessDays })}
          </Text>
        )}
        {published && (
          <Alert color="blue" title={t('maintenance.urlsOnce')}>
            <Stack gap={4}>
              <Anchor href={published.icsUrl} target="_blank" rel="noreferrer" data-testid="ics-url">{t('maintenance.icsFeed')}: {published.icsUrl}</Anchor>
              <Anchor href={published.statusUrl} target="_blank" rel="noreferrer" data-testid="status-url">{t('maintenance.statusPage')}: {published.statusUrl}</Anchor>
            </Stack>
          </Alert>
        )}
        <ErrorAlert error={err} />
        <Group>
          <Button size="xs" onClick={() => void publish()}>{s?.published ? t('maintenance.republish') : t('maintenance.publish')}</Button>
          {s?.published && <Button size="xs" variant="default" onClick={() => void withdraw()}>{t('maintenance.unpublish')}</Button>}
        </Group>
      </Stack>
    </Card>
  );
}
