/**
 * One incident for the desk: header (contract, system, reporter and the
 * designated-contact flag, received vs recognized, priority, scope), SLA targets
 * with "why this deadline", lifecycle actions, priority/scope changes with a
 * reason, assignment, the incident's e-mails (body, attachments), and one
 * timeline with the message/note form (a public message can go out by e-mail,
 * threaded, to the reporter).
 */
import {
  Alert, Anchor, Badge, Button, Card, Checkbox, Collapse, Grid, Group, Modal, NativeSelect, Radio, SegmentedControl, Stack, Text, Textarea, Title,
} from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { commandsFrom, type Command } from '../../../src/contract/incident-lifecycle.ts';
import { MessageBody, PriorityBody, ReasonBody, ResolveBody, ScopeBody } from '../../../src/contract/incidents.ts';
import { PRIORITIES } from '../../../src/contract/vocabulary.ts';
import type { ApiError } from '../../api/client.ts';
import { useIncident, useIncidentAction, useMailReply, useSession } from '../../api/hooks.ts';
import type { IncidentDetail, IncidentTarget, TimelineEntry } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { EmailAddress } from '../../lib/EmailAddress.tsx';
import { zoneName } from '../../lib/format.ts';
import { WHOLE_WORDS } from '../../lib/table.ts';
import { formatInstant, formatSpan, useNow } from '../../lib/time.ts';
import { Explanation } from './Explanation.tsx';
import { OutboundMailBanner } from '../mail/Delivery.tsx';
import { MailCard, OutboundCard } from './MailCard.tsx';
import { ResolutionCard } from './ResolutionCard.tsx';
import { MoveToChangeButton } from '../change-requests/MoveToChangeButton.tsx';
import { ErrorAlert, fieldErrors } from './FieldErrors.tsx';
import { PriorityBadge, StatusBadge } from './labels.tsx';
import { useLookup, type Lookup } from './lookup.ts';
import { SlaBadge } from './SlaBadge.tsx';
import { Timeline } from './Timeline.tsx';
import { Attachments } from '../attachments/Attachments.tsx';

type Dialog = 'wait' | 'propose' | 'resolve' | 'reopen' | 'priority' | 'scope' | null;

/** Commands that ask for more first (a reason, the proposal, the resolution) open a dialog; the others run at once. */
const COMMAND_DIALOG: Partial<Record<Command, Exclude<Dialog, null>>> = { wait: 'wait', propose: 'propose', resolve: 'resolve', reopen: 'reopen' };

export function IncidentPage() {
  const { id } = useParams();
  // Opening the page is the agent's "I have read it": a new incident is recognized now.
  const q = useIncident(id, { open: true });
  const lk = useLookup(true);
  const { t } = useTranslation();
  if (q.error?.notFound) return <NotFoundPage />;
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text>{t('common.loading')}</Text>;
  return <IncidentView incident={q.data} lk={lk} />;
}

/**
 * A value breaks between words, not inside a name (配送管理システム 保守/契約 in a quarter of the card
 * at 1024 px); a word longer than the whole column still breaks, rather than stand out of it.
 */
const FIELD_VALUE = { ...WHOLE_WORDS, overflowWrap: 'anywhere' } as const;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <div style={FIELD_VALUE} data-field>{children}</div>
    </div>
  );
}

function IncidentView({ incident: inc, lk }: { incident: IncidentDetail; lk: Lookup }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const now = useNow(1000);
  const zone = lk.zone(inc.calendarId);
  const act = useIncidentAction(inc.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [why, setWhy] = useState<string | null>(null);
  const session = useSession();
  const me = session.data?.user;
  const contract = lk.contract(inc.contractId);
  const fmt = (iso: string | null) => formatInstant(iso, zone, lang);
  const author = (e: TimelineEntry) =>
    e.authorId === 'system' ? t('incident.system_actor') : e.authorName ?? lk.user(e.authorId)?.name ?? (e.authorId === me?.id ? t('incident.you') : t('incident.unknownUser'));

  const run = (action: string, body?: unknown) => act.mutate({ path: action, body }, { onSuccess: () => setDialog(null) });
  const reporter = inc.reporter.contactId ? lk.contact(inc.reporter.contactId)?.name ?? inc.reporter.name : inc.reporter.name;

  return (
    <Stack>
      {/* This page replies to the reporter by e-mail and its intake acknowledges by e-mail. */}
      <OutboundMailBanner />
      <Group justify="space-between" align="flex-start">
        {/* A long title wraps (even an unbroken one) instead of pushing the page sideways on a phone;
            the 20rem basis sends the zone note below it there rather than beside it in a narrow column. */}
        <div style={{ flex: '1 1 20rem', minWidth: 0 }}>
          <Text size="sm" c="dimmed"><Anchor component={Link} to="/">{t('nav.queue')}</Anchor> / #{inc.number}</Text>
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }} data-testid="incident-title">#{inc.number} {inc.title}</Title>
          <Group gap="xs" mt={4}>
            <StatusBadge status={inc.status} />
            <PriorityBadge priority={inc.priority} />
            {inc.suggestedPriority && inc.suggestedPriority !== inc.priority && <Text size="xs" c="dimmed">{t('incident.suggested', { priority: t(`priority.${inc.suggestedPriority}`) })}</Text>}
            {!inc.inScope && <Badge color="orange" variant="light">{t('incident.outOfScope')}{inc.billable ? ` · ${t('incident.billable')}` : ''}</Badge>}
            {inc.notViaDesignatedContact && <Badge color="red" variant="filled" data-testid="not-designated">{t('incident.notDesignated')}</Badge>}
            {inc.pausedIntervals.some((p) => !p.to) && <Badge color="yellow">{t('incident.pausedNow')}</Badge>}
          </Group>
        </div>
        <Text size="xs" c="dimmed" data-testid="times-in">{t('common.timesIn', { zone: zoneName(zone, lang) })}</Text>
      </Group>

      <Card withBorder data-testid="incident-fields">
        <Grid gap="sm">
          <Grid.Col span={{ base: 6, md: 3 }}><Field label={t('incident.contract')}>{contract?.name ?? '—'}<Text size="xs" c="dimmed">{lk.client(inc.clientId)?.name}</Text></Field></Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Field label={t('incident.system')}>{lk.system(inc.systemId)?.name ?? '—'}</Field></Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Field label={t('incident.reporter')}>
              {reporter ?? '—'}{inc.reporter.email && <Text size="xs" c="dimmed"><EmailAddress address={inc.reporter.email} /></Text>}
              {inc.notViaDesignatedContact && <Text size="xs" c="red" fw={600}>⚠ {t('incident.notDesignated')}</Text>}
            </Field>
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Field label={t('incident.channel')}>{t(`channel.${inc.channel}`)} · {t(`category.${inc.category}`)}</Field></Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Field label={t('incident.received')}><span data-testid="received-at">{fmt(inc.receivedAt)}</span></Field></Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Field label={t('incident.recognized')}>
              <span data-testid="recognized-at">{fmt(inc.recognizedAt)}</span>
              {inc.recognizedAt && <Text size="xs" c="dimmed" data-testid="recognition-lag">{t('incident.lag', { time: formatSpan(Date.parse(inc.recognizedAt) - Date.parse(inc.receivedAt), lang) })}</Text>}
            </Field>
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Field label={t('incident.started')}>{fmt(inc.startedAt)}</Field></Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Field label={t('incident.resolvedAt')}>{fmt(inc.resolvedAt)}</Field></Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Field label={t('incident.scope')}>{inc.inScope ? t('incident.inScope') : `${t('incident.outOfScope')}: ${inc.outOfScopeReason ?? ''}`}</Field>
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}><Field label={t('incident.assignee')}><AssignSelect inc={inc} lk={lk} /></Field></Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}><Field label={t('admin.policy')}>{t('incident.policy', { version: inc.policy.version })}</Field></Grid.Col>
        </Grid>
        {inc.description && <Text mt="sm" size="sm" style={{ whiteSpace: 'pre-wrap' }}>{inc.description}</Text>}
      </Card>

      <MailCard incidentId={inc.id} zone={zone} notViaDesignatedContact={inc.notViaDesignatedContact} />
      <OutboundCard incidentId={inc.id} zone={zone} />
      <Attachments incidentId={inc.id} zone={zone} staff />

      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('incident.targets')}</Title>
        <Stack gap="xs" data-testid="targets">
          {inc.targets.map((tg: IncidentTarget) => (
            <div key={tg.kind}>
              <Group justify="space-between" wrap="wrap">
                <SlaBadge target={tg} now={now} zone={zone} />
                <Group gap="xs">
                  <Text size="sm">{t('sla.due')}: {tg.dueAt ? fmt(tg.dueAt) : t('sla.noDeadline')}</Text>
                  <Text size="xs" c="dimmed">({tg.clock === 'calendar' ? t('sla.clock24') : t('sla.clockBusiness')})</Text>
                  {tg.dueAt && (
                    <Button size="compact-xs" variant="subtle" aria-expanded={why === tg.kind} onClick={() => setWhy(why === tg.kind ? null : tg.kind)}>
                      {t('sla.why')}
                    </Button>
                  )}
                </Group>
              </Group>
              <Collapse expanded={why === tg.kind}>{why === tg.kind && <Explanation incidentId={inc.id} kind={tg.kind} />}</Collapse>
            </div>
          ))}
        </Stack>
      </Card>

      <Card withBorder>
        <Title order={2} size="h4" mb="xs">{t('incident.actions')}</Title>
        <Group gap="xs" data-testid="actions">
          {commandsFrom(inc.status).map((command) => {
            const d = COMMAND_DIALOG[command];
            return (
              <Button key={command} onClick={() => (d ? setDialog(d) : run(command))} loading={act.isPending && act.variables?.path === command}
                variant={command === 'resolve' ? 'filled' : 'light'}>
                {t(`incident.${command}`)}
              </Button>
            );
          })}
          <Button variant="default" onClick={() => setDialog('priority')}>{t('incident.changePriority')}</Button>
          <Button variant="default" onClick={() => setDialog('scope')}>{t('incident.changeScope')}</Button>
          <MoveToChangeButton incident={inc} />
        </Group>
        {act.error && !dialog && <ErrorAlert error={act.error} />}
      </Card>

      {inc.resolution && <ResolutionCard resolution={inc.resolution} />}

      <Card withBorder>
        <Title order={2} size="h4" mb="sm">{t('incident.timeline')}</Title>
        <Timeline entries={inc.timeline} zone={zone} author={author} />
        <MessageForm incidentId={inc.id} staff mailTo={inc.reporter.email} mailByDefault={inc.channel === 'email'} />
      </Card>

      <ActionDialogs key={dialog ?? 'none'} dialog={dialog} close={() => setDialog(null)} inc={inc} run={run} pending={act.isPending} error={act.error} />
    </Stack>
  );
}

function AssignSelect({ inc, lk }: { inc: IncidentDetail; lk: Lookup }) {
  const { t } = useTranslation();
  const act = useIncidentAction(inc.id);
  const staff = lk.users.filter((u) => u.role !== 'contact' && !u.disabled);
  return (
    <NativeSelect size="xs" aria-label={t('incident.assign')} value={inc.assigneeId ?? ''} disabled={act.isPending}
      onChange={(e) => act.mutate({ path: 'assign', body: { assigneeId: e.currentTarget.value || null } })}
      data={[{ value: '', label: t('queue.unassigned') }, ...staff.map((u) => ({ value: u.id, label: u.name }))]} />
  );
}

/**
 * A message on the timeline. Staff may send a public message by e-mail to the reporter
 * (`mailTo`): it goes out threaded ([#number], In-Reply-To, References) and is also the
 * public message; `mailByDefault` ticks that for incidents that came in by e-mail.
 */
export function MessageForm({ incidentId, staff, mailTo = null, mailByDefault = false }: {
  incidentId: string; staff: boolean; mailTo?: string | null; mailByDefault?: boolean;
}) {
  const { t } = useTranslation();
  const act = useIncidentAction(incidentId);
  const mail = useMailReply(incidentId);
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [byEmail, setByEmail] = useState(mailByDefault);
  const [err, setErr] = useState<z.ZodError | null>(null);
  const sendsMail = staff && !!mailTo && visibility === 'public' && byEmail;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = MessageBody.safeParse({ body, visibility });
    if (!r.success) return setErr(r.error);
    setErr(null);
    if (sendsMail) mail.mutate({ body: r.data.body }, { onSuccess: () => setBody('') });
    else act.mutate({ path: 'messages', body: r.data }, { onSuccess: () => setBody('') });
  };
  const apiError = sendsMail ? mail.error : act.error;
  const errors = fieldErrors(err ?? apiError);
  return (
    <form onSubmit={submit}>
      <Stack gap="xs" mt="md">
        <Textarea label={staff ? t('incident.message') : t('incident.reply')} autosize minRows={2} value={body} error={errors.body}
          onChange={(e) => setBody(e.currentTarget.value)} description={staff ? undefined : t('portal.replyHint')} />
        <Group justify="space-between">
          {staff ? (
            <SegmentedControl size="xs" value={visibility} onChange={(v) => setVisibility(v as 'public' | 'internal')} aria-label={t('incident.visibility')}
              data={[{ value: 'public', label: t('incident.public') }, { value: 'internal', label: t('incident.internal') }]} />
          ) : <span />}
          <Group gap="sm">
            {staff && mailTo && visibility === 'public' && (
              <Checkbox size="xs" label={t('mail.byEmail', { to: mailTo })} checked={byEmail} onChange={(e) => setByEmail(e.currentTarget.checked)} />
            )}
            <Button type="submit" loading={act.isPending || mail.isPending}>{t('incident.send')}</Button>
          </Group>
        </Group>
        {apiError && Object.keys(errors).length === 0 && <ErrorAlert error={apiError} />}
        {mail.data && !mail.isPending && (
          <Text size="xs" c="teal" role="status" data-testid="mail-sent">{t('mail.sent', { subject: mail.data.subject, to: mail.data.to })}</Text>
        )}
      </Stack>
    </form>
  );
}

function ActionDialogs({ dialog, close, inc, run, pending, error }: {
  dialog: Dialog; close: () => void; inc: IncidentDetail; run: (action: string, body?: unknown) => void; pending: boolean; error: ApiError | null;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [res, setRes] = useState({ cause: '', fix: '', courseOfEvents: '' });
  const [priority, setPriority] = useState<string>(inc.priority);
  const [inScope, setInScope] = useState(inc.inScope ? 'in' : 'out');
  const [billable, setBillable] = useState(inc.billable);
  const [err, setErr] = useState<z.ZodError | null>(null);
  const errors = fieldErrors(err ?? error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const check = <T,>(schema: z.ZodType<T>, value: unknown, action: string) => {
      const r = schema.safeParse(value);
      if (!r.success) return setErr(r.error);
      setErr(null);
      run(action, r.data);
    };
    if (dialog === 'wait' || dialog === 'reopen') check(ReasonBody, { reason }, dialog);
    else if (dialog === 'propose') check(z.object({ message: z.string().trim().max(100_000).optional() }), message.trim() ? { message } : {}, 'propose');
    else if (dialog === 'resolve') check(ResolveBody, res, 'resolve');
    else if (dialog === 'priority') check(PriorityBody, { priority, reason }, 'priority');
    else if (dialog === 'scope') check(ScopeBody, { inScope: inScope === 'in', ...(reason.trim() ? { reason } : {}), billable }, 'scope');
  };
  const titles: Record<Exclude<Dialog, null>, string> = {
    wait: t('incident.wait'), propose: t('incident.propose'), resolve: t('incident.resolve'), reopen: t('incident.reopen'),
    priority: t('incident.changePriority'), scope: t('incident.changeScope'),
  };
  return (
    <Modal opened={dialog !== null} onClose={() => { setErr(null); close(); }} title={dialog ? titles[dialog] : ''} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {dialog === 'resolve' && (
            <>
              <Textarea label={t('incident.cause')} required autosize minRows={2} data-autofocus value={res.cause} error={errors.cause}
                onChange={(e) => setRes({ ...res, cause: e.currentTarget.value })} />
              <Textarea label={t('incident.fix')} required autosize minRows={2} value={res.fix} error={errors.fix}
                onChange={(e) => setRes({ ...res, fix: e.currentTarget.value })} />
              <Textarea label={t('incident.courseOfEvents')} required autosize minRows={3} value={res.courseOfEvents} error={errors.courseOfEvents}
                onChange={(e) => setRes({ ...res, courseOfEvents: e.currentTarget.value })} />
            </>
          )}
          {dialog === 'propose' && (
            <Textarea label={t('incident.proposal')} autosize minRows={3} data-autofocus value={message} onChange={(e) => setMessage(e.currentTarget.value)} />
          )}
          {dialog === 'priority' && (
            <Radio.Group label={t('incident.newPriority')} value={priority} onChange={setPriority} error={errors.priority}>
              <Group mt="xs">{PRIORITIES.map((p) => <Radio key={p} value={p} label={t(`priority.${p}`)} />)}</Group>
            </Radio.Group>
          )}
          {dialog === 'scope' && (
            <>
              <Radio.Group label={t('incident.scope')} value={inScope} onChange={setInScope}>
                <Group mt="xs">
                  <Radio value="in" label={t('incident.inScope')} />
                  <Radio value="out" label={t('incident.outOfScope')} />
                </Group>
              </Radio.Group>
              <Checkbox label={t('incident.billable')} checked={billable} onChange={(e) => setBillable(e.currentTarget.checked)} />
            </>
          )}
          {(dialog === 'wait' || dialog === 'reopen' || dialog === 'priority' || dialog === 'scope') && (
            <Textarea label={t('common.reason')} required={dialog !== 'scope' || inScope === 'out'} autosize minRows={2} data-autofocus={dialog !== 'priority' || undefined}
              value={reason} error={errors.reason} onChange={(e) => setReason(e.currentTarget.value)} />
          )}
          {error && Object.keys(errors).length === 0 && <Alert color="red" role="alert">{error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
            <Button type="submit" loading={pending}>{dialog ? titles[dialog] : ''}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
