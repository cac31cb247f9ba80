/**
 * The calendar editor's month view: working time per day of a month, computed in the
 * browser by the SLA core from the document being edited (so it shows what a save
 * would mean). Clicking a day edits a dated override of its hours (closed = empty),
 * written into the overrides the document keeps.
 */
import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { compileCalendar, monthOfCalendar, type CalendarDocument } from '../../../src/core/calendar/index.ts';

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const WEEK = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

type Override = { date?: string } & Record<string, unknown>;

export function MonthView({ doc, overrides, onOverrides, readOnly }: {
  doc: CalendarDocument | null; overrides: string; onOverrides: (text: string) => void; readOnly: boolean;
}) {
  const { t } = useTranslation();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [picked, setPicked] = useState<string | null>(null);
  const [hours, setHours] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const days = useMemo(() => {
    const m = /^(\d{4})-(\d{2})$/.exec(month);
    if (!doc || !m) return null;
    try {
      return monthOfCalendar(compileCalendar(doc), Number(m[1]), Number(m[2]));
    } catch {
      // Outside the years the holiday data covers: the page says so instead of a grid.
      return null;
    }
  }, [doc, month]);
  const list = (): Override[] | null => {
    if (!overrides.trim()) return [];
    try {
      const x: unknown = JSON.parse(overrides);
      return Array.isArray(x) ? (x as Override[]) : null;
    } catch {
      return null;
    }
  };
  const overridden = new Set((list() ?? []).map((o) => o.date).filter(Boolean));
  const apply = (remove: boolean) => {
    const current = list();
    if (!current || !picked) return setProblem(t('adm.cal.overridesUnreadable'));
    const ranges = hours.split(/[,、]/).map((r) => r.trim()).filter(Boolean).map((r) => r.split(/\s*[-–~〜]\s*/));
    if (!remove && ranges.some((r) => r.length !== 2 || !r.every((x) => /^\d{2}:\d{2}$/.test(x)))) return setProblem(t('adm.cal.hoursFormat'));
    const rest = current.filter((o) => o.date !== picked);
    const next = remove ? rest : [...rest, { date: picked, hours: ranges }].sort((a, b) => String(a.date ?? '').localeCompare(String(b.date ?? '')));
    setProblem(null);
    onOverrides(next.length ? JSON.stringify(next, null, 2) : '');
  };
  const pick = (date: string, intervals: Array<[number, number]>) => {
    setPicked(date);
    setHours(intervals.map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(', '));
    setProblem(null);
  };
  const lead = days?.[0]?.weekday ?? 0;
  return (
    <Stack gap="xs" data-testid="month-view">
      <Group justify="space-between">
        <Text fw={600}>{t('adm.cal.month')}</Text>
        <TextInput type="month" size="xs" aria-label={t('adm.cal.monthPick')} value={month} onChange={(e) => setMonth(e.currentTarget.value)} />
      </Group>
      {!days && <Alert color="yellow">{t('adm.cal.noMonth')}</Alert>}
      {days && (
        <SimpleGrid cols={7} spacing={4} verticalSpacing={4}>
          {WEEK.map((d) => <Text key={d} size="xs" ta="center" c="dimmed">{t(`admin.weekdays.${d}`)}</Text>)}
          {Array.from({ length: lead }, (_, i) => <div key={`lead-${i}`} />)}
          {days.map((d) => (
            <UnstyledButton key={d.date} onClick={() => pick(d.date, d.intervals)} disabled={readOnly} data-testid={`day-${d.date}`} aria-label={d.date}
              style={{
                border: `1px solid ${picked === d.date ? 'var(--mantine-color-blue-6)' : 'var(--mantine-color-gray-3)'}`, borderRadius: 4, padding: 4, minHeight: 52,
                background: d.workingMinutes === 0 ? 'var(--mantine-color-gray-1)' : undefined,
              }}>
              <Group gap={2} justify="space-between" wrap="nowrap">
                <Text size="xs" fw={600} c={d.weekday === 0 ? 'red' : d.weekday === 6 ? 'blue' : undefined}>{d.day}</Text>
                {overridden.has(d.date) && <Text size="xs" c="orange" title={t('adm.cal.overridden')}>●</Text>}
              </Group>
              <Text size="xs" c={d.workingMinutes === 0 ? 'dimmed' : undefined} lh={1.2}>
                {d.workingMinutes === 0 ? t('adm.cal.closed') : d.intervals.map(([a, b]) => `${hhmm(a)}–${hhmm(b)}`).join(' ')}
              </Text>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      )}
      {picked && !readOnly && (
        <Group align="flex-end" gap="xs">
          <TextInput size="xs" label={t('adm.cal.hoursOn', { date: picked })} description={t('adm.cal.hoursHint')} value={hours} onChange={(e) => setHours(e.currentTarget.value)} />
          <Button size="xs" onClick={() => apply(false)}>{t('adm.cal.setOverride')}</Button>
          {overridden.has(picked) && <Button size="xs" variant="default" onClick={() => apply(true)}>{t('adm.cal.removeOverride')}</Button>}
        </Group>
      )}
      {problem && <Alert color="red" role="alert">{problem}</Alert>}
    </Stack>
  );
}
