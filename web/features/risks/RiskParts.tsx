/**
 * Pieces of the risk pages shared by the console and the portal: level and review badges, a
 * rating in the words of the risk's own criteria version, the heat map grid, controls (presented
 * to the client, acknowledged by the client), acceptances and the discussion thread, and the
 * page heading, ratings and heat map card both pages show.
 */
import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, NativeSelect, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, patch, post } from '../../api/client.ts';
import { CONTROL_STATUSES } from '../../../src/contract/risks.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatDate, joinList } from '../../lib/format.ts';
import { formatInstant } from '../../lib/time.ts';
import { NotFoundPage } from '../../pages/NotFoundPage.tsx';
import { ErrorAlert, fieldErrors, pendingView } from '../incidents/FieldErrors.tsx';
import { LEVEL_COLOURS, useRisk, type HeatMap, type Level, type Risk, type RiskDetail } from './api.ts';
import { WHOLE_WORDS } from '../../lib/table.ts';

export const ZONE = 'Asia/Tokyo';

/**
 * The frame of one risk's page (console and portal): loads the route's risk (not found, error,
 * loading until then), then its heading with `badges`, the closed notice, and what `children` draws.
 */
export function RiskFrame({ back, backLabel, badges, children }: {
  back: string; backLabel: string; badges?: (r: RiskDetail) => ReactNode; children: (r: RiskDetail) => ReactNode;
}) {
  const { id } = useParams();
  const { t } = useTranslation();
  const q = useRisk(id);
  const pending = pendingView(q, t('common.loading'), <NotFoundPage />);
  if (pending || !q.data) return pending;
  const r = q.data;
  return (
    <Stack>
      <RiskHeader risk={r} back={back} backLabel={backLabel}>{badges?.(r)}</RiskHeader>
      <ClosedAlert risk={r} />
      {children(r)}
    </Stack>
  );
}

/** Breadcrumb (back to `back`, named `backLabel`), number and title, status / treatment / criteria badges and any more (`children`). */
export function RiskHeader({ risk: r, back, backLabel, children }: { risk: RiskDetail; back: string; backLabel: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div>
      <Text size="sm" c="dimmed"><Anchor component={Link} to={back}>{backLabel}</Anchor> / R-{r.number}</Text>
      <Title order={1} size="h2">R-{r.number} {r.title}</Title>
      <Group gap="xs" mt={4}>
        <Badge variant="light">{t(`risks.statuses.${r.status}`)}</Badge>
        <Badge variant="outline">{t(`risks.treatments.${r.treatment}`)}</Badge>
        <Badge variant="outline" color="gray">{t('risks.criteriaVersion', { version: r.criteriaVersion })}</Badge>
        {children}
      </Group>
    </div>
  );
}

/** The inherent and residual ratings, each in the words of the risk's criteria version. */
export function RiskRatings({ risk: r }: { risk: RiskDetail }) {
  const { t } = useTranslation();
  return (
    <Stack gap={6}>
      <RatingLine label={t('risks.inherent')} rating={r.inherent} criteria={r.criteria} />
      <RatingLine label={t('risks.residual')} rating={r.residual} criteria={r.criteria} />
    </Stack>
  );
}

export function HeatMapCard({ map }: { map: HeatMap | undefined }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{t('risks.heatmap')}</Title>
      {map && <HeatMapGrid map={map} />}
    </Card>
  );
}

export function LevelBadge({ level }: { level: Level }) {
  const { t } = useTranslation();
  return <Badge color={LEVEL_COLOURS[level]} variant="filled" data-level={level}>{t(`risks.level_.${level}`)}</Badge>;
}

export function ReviewBadge({ review }: { review: Risk['review'] }) {
  const { t } = useTranslation();
  if (review.state === 'none') return <Text size="sm" c="dimmed">—</Text>;
  const colour = review.state === 'overdue' ? 'red' : review.state === 'due' ? 'orange' : 'gray';
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={colour} variant={review.state === 'ok' ? 'light' : 'filled'} data-testid="review-state">{t(`risks.reviewStates.${review.state}`)}</Badge>
      {review.escalatedAt && <Badge color="red" variant="outline">{t('risks.escalated')}</Badge>}
    </Group>
  );
}

type Criteria = RiskDetail['criteria'];

/** "4 × 3 = 12 (起こりやすい × 中)" in the words of the criteria the risk was rated on. */
export function ratingText(r: Risk['inherent'], criteria: Criteria | undefined, lang: Lang): string {
  const name = (steps: Criteria['likelihood'] | undefined, v: number) => steps?.find((s) => s.value === v)?.[lang];
  const l = name(criteria?.likelihood, r.likelihood);
  const i = name(criteria?.impact, r.impact);
  return `${r.likelihood} × ${r.impact} = ${r.score}${l && i ? ` (${l} × ${i})` : ''}`;
}

export function RatingLine({ label, rating, criteria }: { label: string; rating: Risk['inherent'] | null; criteria?: Criteria }) {
  const { t, i18n } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" fw={500} w={110}>{label}</Text>
      {rating ? <><LevelBadge level={rating.level} /><Text size="sm">{ratingText(rating, criteria, i18n.language as Lang)}</Text></> : <Text size="sm" c="dimmed">{t('risks.notRated')}</Text>}
    </Group>
  );
}

/** Likelihood rows (most likely first) × impact columns; each cell its count, coloured by its level. */
export function HeatMapGrid({ map }: { map: HeatMap }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const rows = [...map.criteria.likelihood].reverse();
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={0}>
        <Table withTableBorder withColumnBorders aria-label={t('risks.heatmap')} data-testid="heatmap" style={{ width: 'auto' }} styles={{ th: WHOLE_WORDS }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('risks.likelihood')} \ {t('risks.impact')}</Table.Th>
              {map.criteria.impact.map((i) => <Table.Th key={i.value} style={{ textAlign: 'center' }}>{i.value} {i[lang]}</Table.Th>)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((l) => (
              <Table.Tr key={l.value}>
                <Table.Th>{l.value} {l[lang]}</Table.Th>
                {map.criteria.impact.map((i) => {
                  const cell = map.cells.find((c) => c.likelihood === l.value && c.impact === i.value);
                  const colour = cell ? `var(--mantine-color-${LEVEL_COLOURS[cell.level]}-${cell.count ? 6 : 1})` : undefined;
                  return (
                    <Table.Td key={i.value} data-cell={`${l.value}x${i.value}`} style={{ textAlign: 'center', background: colour, color: cell?.count ? 'white' : undefined, fontWeight: 600, minWidth: 56 }}>
                      {cell?.count ? cell.count : ''}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">{t('risks.heatmapHint', { version: map.criteriaVersion })}</Text>
      {map.otherVersions.length > 0 && (
        <Text size="xs" c="dimmed">{t('risks.otherVersions', { list: joinList(map.otherVersions.map((o) => `v${o.version}: ${o.count}`), lang) })}</Text>
      )}
    </Stack>
  );
}

/** A POST on the risk that refreshes it and the lists. */
export function useRiskPost(riskId: string) {
  const qc = useQueryClient();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (path: string, body?: unknown, method: 'POST' | 'PATCH' = 'POST'): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await (method === 'POST' ? post(`/risks/${riskId}${path}`, body) : patch(`/risks/${riskId}${path}`, body));
      await Promise.all([qc.invalidateQueries({ queryKey: ['risk', riskId] }), qc.invalidateQueries({ queryKey: ['risks'] })]);
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e)));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, error, busy, setError };
}

export function ControlsCard({ risk, staff, children }: { risk: RiskDetail; staff: boolean; children?: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const act = useRiskPost(risk.id);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{t('risks.controls')}</Title>
      <ErrorAlert error={act.error} />
      {risk.controls.length === 0 && <Text size="sm" c="dimmed">{t('risks.noControls')}</Text>}
      <Stack gap="sm">
        {risk.controls.map((c) => {
          const stale = c.acknowledgedRevision !== null && c.acknowledgedRevision < c.revision;
          const canAck = !staff && risk.status === 'open' && (c.acknowledgedRevision === null || stale);
          return (
            <Card key={c.id} withBorder padding="sm" data-testid="control">
              <Group justify="space-between" align="flex-start">
                <div>
                  <Text fw={600}>{c.title}</Text>
                  {c.description && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{c.description}</Text>}
                  <Text size="xs" c="dimmed">
                    {t('risks.owner')}: {c.ownerName} · {t('risks.dueOn')}: {formatDate(c.dueOn, lang)} · {t(`risks.controlStatus.${c.status}`)}
                  </Text>
                  <Text size="xs" c={c.presentedAt ? 'dimmed' : 'orange'}>
                    {c.presentedAt ? t('risks.presented', { at: formatInstant(c.presentedAt, ZONE, lang) }) : t('risks.notPresented')}
                  </Text>
                  {c.acknowledgedAt && (
                    <Text size="sm" c="teal" data-testid="acknowledged">
                      ✓ {t('risks.acknowledged', { name: c.acknowledgedName, at: formatInstant(c.acknowledgedAt, ZONE, lang), revision: c.acknowledgedRevision })}
                    </Text>
                  )}
                  {stale && <Text size="sm" c="orange">{t('risks.changedSinceAck', { revision: c.revision })}</Text>}
                </div>
                {staff && risk.status === 'open' && (
                  <Group gap="xs">
                    <NativeSelect size="xs" aria-label={`${t('risks.status')}: ${c.title}`} value={c.status}
                      onChange={(e) => void act.run(`/controls/${c.id}`, { status: e.currentTarget.value }, 'PATCH')}
                      data={CONTROL_STATUSES.map((x) => ({ value: x, label: t(`risks.controlStatus.${x}`) }))} />
                    {!c.presentedAt && <Button size="xs" loading={act.busy} onClick={() => void act.run(`/controls/${c.id}/present`)}>{t('risks.present')}</Button>}
                  </Group>
                )}
                {canAck && <Button size="xs" loading={act.busy} onClick={() => void act.run(`/controls/${c.id}/acknowledge`)}>{t('risks.acknowledge')}</Button>}
              </Group>
            </Card>
          );
        })}
      </Stack>
      {children}
    </Card>
  );
}

export function AcceptancesCard({ risk, staff }: { risk: RiskDetail; staff: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const act = useRiskPost(risk.id);
  const [expiresOn, setExpiresOn] = useState('');
  const [note, setNote] = useState('');
  const errs = fieldErrors(act.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await act.run('/acceptances', { expiresOn, ...(note ? { note } : {}) })) { setExpiresOn(''); setNote(''); }
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{t('risks.acceptances')}</Title>
      {risk.acceptances.length === 0 && <Text size="sm" c="dimmed">{t('risks.noAcceptances')}</Text>}
      <Stack gap={4}>
        {risk.acceptances.map((a) => (
          <Group key={a.id} gap="xs" data-testid="acceptance">
            <Badge color={a.state === 'active' ? 'teal' : 'gray'}>{t(`risks.acceptanceState.${a.state}`)}</Badge>
            <Text size="sm">
              {t('risks.accepted', {
                name: a.acceptedName, at: formatInstant(a.acceptedAt, ZONE, lang), until: formatDate(a.expiresOn, lang), version: a.criteriaVersion,
                revision: a.scoreRevision, rating: `${t(`risks.level_.${a.residual.level}`)} ${a.residual.score}`,
              })}
            </Text>
            {a.note && <Text size="sm" c="dimmed">— {a.note}</Text>}
          </Group>
        ))}
      </Stack>
      {!staff && risk.status === 'open' && risk.residual && !risk.acceptances.some((a) => a.state === 'active') && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="xs" mt="md">
            <Title order={3} size="h5">{t('risks.acceptTitle')}</Title>
            <Text size="sm">{t('risks.acceptHint', { rating: ratingText(risk.residual, risk.criteria, lang) })}</Text>
            <Group align="flex-end">
              <TextInput type="date" label={t('risks.expiresOn')} value={expiresOn} onChange={(e) => setExpiresOn(e.currentTarget.value)} error={errs.expiresOn} required />
              <TextInput label={t('risks.acceptNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} style={{ flex: 1 }} />
              <Button type="submit" loading={act.busy} color="orange">{t('risks.acceptSubmit')}</Button>
            </Group>
            {act.error && !errs.expiresOn && <ErrorAlert error={act.error} />}
          </Stack>
        </form>
      )}
    </Card>
  );
}

export function ThreadCard({ risk, staff }: { risk: RiskDetail; staff: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const act = useRiskPost(risk.id);
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await act.run('/messages', { body, ...(internal ? { internal: true } : {}) })) { setBody(''); setInternal(false); }
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">{t('risks.discussion')}</Title>
      {risk.messages.length === 0 && <Text size="sm" c="dimmed">{t('risks.noMessages')}</Text>}
      <Stack gap="xs">
        {risk.messages.map((m) => (
          <Card key={m.id} padding="xs" withBorder bg={m.internal ? 'var(--mantine-color-yellow-0)' : undefined} data-testid="message">
            <Group gap="xs">
              <Text size="xs" fw={600}>{m.authorName}</Text>
              <Text size="xs" c="dimmed">{formatInstant(m.at, ZONE, lang)}</Text>
              {m.internal && <Badge size="xs" color="yellow">{t('risks.internalBadge')}</Badge>}
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{m.body}</Text>
          </Card>
        ))}
      </Stack>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs" mt="sm">
          <Textarea label={t('risks.message')} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} error={fieldErrors(act.error).body} />
          <Group justify="space-between">
            {staff ? <Checkbox label={t('risks.internal')} checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} /> : <span />}
            <Button type="submit" loading={act.busy} disabled={!body.trim()}>{t('risks.send')}</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

export function ClosedAlert({ risk }: { risk: Risk }) {
  const { t } = useTranslation();
  if (risk.status !== 'closed') return null;
  return <Alert color="gray">{t('risks.closedBecause', { reason: risk.closeReason ?? '' })}</Alert>;
}
