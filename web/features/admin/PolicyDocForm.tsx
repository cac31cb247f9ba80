/**
 * The SLA policy document as a form: per priority and target, whether it runs, its
 * anchor, its clock (24/7 minutes, business minutes, end of the Nth business day)
 * and its amount; the at-risk threshold and the pause option. It edits the same
 * document the JSON editor shows; the contract's schema checks it on submit.
 */
import { Checkbox, Group, NativeSelect, NumberInput, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SlaPolicy } from '../../api/types.ts';
import { WHOLE_WORDS } from '../../lib/table.ts';

type Doc = SlaPolicy['document'];
type Pri = keyof Doc['priorities'];
type Kind = 'start' | 'resolve' | 'propose';
type Spec = NonNullable<Doc['priorities'][Pri][Kind]>;
const PRIORITIES: Pri[] = ['urgent', 'important', 'minor'];
const KINDS: Kind[] = ['start', 'resolve', 'propose'];

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Whether the form can show this value: the document's shape (numbers may still be
 * wrong — the schema says so on submit — but every field the form reads is there).
 */
export function formable(x: unknown): x is Doc {
  if (!isObj(x) || typeof x.atRiskThreshold !== 'number' || typeof x.pauseResolutionWhileWaiting !== 'boolean' || typeof x.notifyWhileClosed !== 'boolean') return false;
  const ps = x.priorities;
  if (!isObj(ps)) return false;
  return PRIORITIES.every((p) => isObj(ps[p]) && KINDS.every((k) => {
    const s = (ps[p] as Record<string, unknown>)[k];
    if (s === undefined) return true;
    return isObj(s) && typeof s.from === 'string' && isObj(s.clock) && ['calendar', 'business', 'endOfNthBusinessDay'].includes(String(s.clock.kind))
      && typeof (s.clock.kind === 'endOfNthBusinessDay' ? s.clock.n : s.clock.minutes) === 'number';
  }));
}

const amountOf = (s: Spec) => (s.clock.kind === 'endOfNthBusinessDay' ? s.clock.n : s.clock.minutes);

export function PolicyDocForm({ doc, onChange }: { doc: Doc; onChange: (d: Doc) => void }) {
  const { t } = useTranslation();
  const setSpec = (p: Pri, k: Kind, spec: Spec | undefined) => {
    const pri = { ...doc.priorities[p] };
    if (spec) pri[k] = spec;
    else delete pri[k];
    onChange({ ...doc, priorities: { ...doc.priorities, [p]: pri } });
  };
  const withClock = (s: Spec, kind: Spec['clock']['kind'], amount: number): Spec => ({
    ...s, clock: kind === 'endOfNthBusinessDay' ? { kind, n: amount } : { kind, minutes: amount },
  });
  return (
    <Stack gap="xs" data-testid="policy-form">
      <Table.ScrollContainer minWidth={720}>
        <Table fz="sm" withTableBorder styles={{ th: WHOLE_WORDS }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('queue.priority')}</Table.Th><Table.Th>{t('adm.policy.target')}</Table.Th><Table.Th>{t('admin.from')}</Table.Th>
              <Table.Th>{t('adm.policy.clock')}</Table.Th><Table.Th>{t('adm.policy.amount')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {PRIORITIES.flatMap((p) => KINDS.map((k) => {
              const s = doc.priorities[p][k];
              const id = `${p}.${k}`;
              return (
                <Table.Tr key={id} data-testid={`policy-${id}`}>
                  <Table.Td>{k === 'start' ? t(`priority.${p}`) : ''}</Table.Td>
                  <Table.Td>
                    <Checkbox label={t(`sla.target.${k}`)} checked={Boolean(s)}
                      onChange={(e) => setSpec(p, k, e.currentTarget.checked ? { from: 'recognized', clock: { kind: 'business', minutes: 540 } } : undefined)} />
                  </Table.Td>
                  <Table.Td>
                    {s && (
                      <NativeSelect size="xs" miw={150} aria-label={`${t(`priority.${p}`)} ${t(`sla.target.${k}`)} ${t('admin.from')}`} value={s.from}
                        onChange={(e) => setSpec(p, k, { ...s, from: e.currentTarget.value as Spec['from'] })}
                        data={(['recognized', 'started'] as const).filter((a) => k !== 'start' || a === 'recognized').map((a) => ({ value: a, label: t(`admin.anchor.${a}`) }))} />
                    )}
                  </Table.Td>
                  <Table.Td>
                    {s && (
                      <NativeSelect size="xs" miw={220} aria-label={`${t(`priority.${p}`)} ${t(`sla.target.${k}`)} ${t('adm.policy.clock')}`} value={s.clock.kind}
                        onChange={(e) => setSpec(p, k, withClock(s, e.currentTarget.value as Spec['clock']['kind'], e.currentTarget.value === 'endOfNthBusinessDay' ? 1 : amountOf(s)))}
                        data={[
                          { value: 'calendar', label: t('admin.targetCalendar') }, { value: 'business', label: t('admin.targetBusiness') },
                          { value: 'endOfNthBusinessDay', label: t('admin.targetEndOfDay') },
                        ]} />
                    )}
                  </Table.Td>
                  <Table.Td>
                    {s && (
                      <Group gap={4} wrap="nowrap">
                        <NumberInput size="xs" w={110} min={1} allowDecimal={false} aria-label={`${t(`priority.${p}`)} ${t(`sla.target.${k}`)} ${t('adm.policy.amount')}`}
                          value={amountOf(s)} onChange={(x) => setSpec(p, k, withClock(s, s.clock.kind, typeof x === 'number' ? x : Number(x) || 0))} />
                        <Text size="xs" c="dimmed">{s.clock.kind === 'endOfNthBusinessDay' ? t('adm.policy.days') : t('adm.policy.minutes')}</Text>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            }))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group gap="lg">
        <NumberInput w={200} label={t('admin.atRisk')} suffix=" %" min={1} max={100} allowDecimal={false} value={Math.round(doc.atRiskThreshold * 100)}
          onChange={(x) => onChange({ ...doc, atRiskThreshold: (typeof x === 'number' ? x : Number(x) || 0) / 100 })} />
        <Checkbox label={t('admin.pauseWhileWaiting')} checked={doc.pauseResolutionWhileWaiting} onChange={(e) => onChange({ ...doc, pauseResolutionWhileWaiting: e.currentTarget.checked })} />
        <Checkbox label={t('adm.policy.notifyWhileClosed')} checked={doc.notifyWhileClosed} onChange={(e) => onChange({ ...doc, notifyWhileClosed: e.currentTarget.checked })} />
      </Group>
    </Stack>
  );
}
