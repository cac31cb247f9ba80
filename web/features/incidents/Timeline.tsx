import { Badge, Group, Paper, Stack, Text, Timeline as MTimeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { joinList } from '../../lib/format.ts';
import { formatInstant } from '../../lib/time.ts';

type Tr = (key: string, o?: Record<string, unknown>) => string;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** What happened, in words: state changes, SLA events, priority/scope changes. */
export function describe(e: TimelineEntry, t: Tr, lang: Lang): string {
  const d = e.data;
  switch (e.kind) {
    case 'created':
      return `${t('incident.created')} (${joinList([t(`channel.${str(d.channel) || 'web'}`), t(`priority.${str(d.priority) || 'minor'}`)], lang)})`;
    case 'status':
      return t('incident.statusChange', { from: t(`status.${str(d.from)}`), to: t(`status.${str(d.to)}`) });
    case 'reopen':
      return `${t('incident.reopened')} (${t(`status.${str(d.from)}`)} → ${t(`status.${str(d.to)}`)})`;
    case 'priority':
      return t('incident.priorityChange', { from: t(`priority.${str(d.from)}`), to: t(`priority.${str(d.to)}`) });
    case 'scope':
      return `${t('incident.scopeChange')}: ${d.inScope ? t('incident.inScope') : t('incident.outOfScope')}${d.billable ? ` (${t('incident.billable')})` : ''}`;
    case 'assign':
      return t('incident.assigned');
    case 'calendar_rederived': {
      const moved = Array.isArray(d.targets) ? joinList((d.targets as Array<{ kind?: unknown }>).map((x) => t(`sla.target.${str(x.kind)}`)), lang) : '';
      return `${t('incident.calendarRederived', { version: typeof d.calendarVersion === 'number' ? d.calendarVersion : '?' })}${moved ? ` (${moved})` : ''}`;
    }
    case 'sla':
      return t('incident.slaEvent', { event: t(`sla.inline.${str(d.event)}`, { defaultValue: t(`sla.${str(d.event)}`) }), target: t(`sla.target.${str(d.target)}`) });
    case 'escalation': {
      // Escalation entries (issue 16): the words come from the webhooks module's UI strings.
      const notified = Array.isArray(d.notified) ? joinList((d.notified as unknown[]).map((r) => t(`webhooks.roles.${str(r)}`)), lang) : '';
      return d.reason === 'unassigned'
        ? t('webhooks.timeline.unassigned', { notified })
        : t('webhooks.timeline.escalated', { level: typeof d.level === 'number' ? d.level : '?', target: t(`sla.target.${str(d.target)}`), notified });
    }
    case 'attachment':
      return t(d.removed ? 'attachments.timeline.removed' : 'attachments.timeline.added');
    case 'note':
      return t('incident.note');
    case 'message':
      return t('incident.message');
    default:
      return e.kind;
  }
}

const COLOURS: Record<string, string> = { attachment: 'teal', calendar_rederived: 'orange', sla: 'red', escalation: 'red', note: 'gray', message: 'blue', status: 'indigo', reopen: 'orange', priority: 'orange', scope: 'yellow', created: 'green' };

export function Timeline({ entries, zone, author }: { entries: TimelineEntry[]; zone: string; author: (e: TimelineEntry) => string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <MTimeline bulletSize={14} lineWidth={2} active={entries.length} data-testid="timeline">
      {entries.map((e) => {
        const resolution = e.data.resolution as { cause?: string; fix?: string; course?: string } | undefined;
        return (
          <MTimeline.Item key={e.id} color={COLOURS[e.kind] ?? 'gray'} data-kind={e.kind}
            title={<Group gap="xs"><Text size="sm" fw={600}>{describe(e, t, lang)}</Text>{e.visibility === 'internal' && <Badge size="xs" color="gray">{t('incident.internal')}</Badge>}</Group>}>
            <Text size="xs" c="dimmed">{formatInstant(e.at, zone, lang)} · {author(e)}</Text>
            {e.body && e.kind !== 'created' && e.kind !== 'sla' && e.kind !== 'escalation' && (
              <Paper withBorder p="xs" mt={4} bg={e.visibility === 'internal' ? 'yellow.0' : undefined}>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{e.body}</Text>
              </Paper>
            )}
            {resolution && (
              <Stack gap={2} mt={4}>
                <Text size="sm"><b>{t('incident.cause')}:</b> {resolution.cause}</Text>
                <Text size="sm"><b>{t('incident.fix')}:</b> {resolution.fix}</Text>
                <Text size="sm"><b>{t('incident.courseOfEvents')}:</b> {resolution.course}</Text>
              </Stack>
            )}
          </MTimeline.Item>
        );
      })}
    </MTimeline>
  );
}
