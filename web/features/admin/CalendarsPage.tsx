/**
 * Support calendars: weekly hours per weekday, Japanese holidays, closures and
 * overrides, checked by the SLA core as you type, with a trial calculation
 * ("received at …, due when?") and the intervals it counted.
 */
import { Alert, Button, Card, Checkbox, Grid, Group, List, NativeSelect, NumberInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, asApiError, patch, post } from '../../api/client.ts';
import { useCalendars, useSession } from '../../api/hooks.ts';
import type { Calendar } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { zoneName } from '../../lib/format.ts';
import { formatInstant, toLocalInput } from '../../lib/time.ts';
import { CountedTable } from '../incidents/Explanation.tsx';
import { ErrorAlert, issueLine } from '../incidents/FieldErrors.tsx';
import { renderIssue } from '../../../src/i18n/issues.ts';
import { STANDARD_JP_CALENDAR, type CalendarDocument } from '../../../src/core/calendar/index.ts';
import { MonthView } from './MonthView.tsx';
import { toDocument, toForm, trial, validate, WEEK, type CalendarForm, type FormIssue } from './calendarForm.ts';

export function CalendarsPage() {
  const { t } = useTranslation();
  const calendars = useCalendars();
  const [selected, setSelected] = useState<string | null>(null);
  const current = calendars.data?.find((c) => c.id === selected) ?? (selected === 'new' ? null : calendars.data?.[0]) ?? null;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('admin.calendars')}</Title>
        <Group>
          <NativeSelect aria-label={t('admin.calendar')} value={current?.id ?? 'new'} onChange={(e) => setSelected(e.currentTarget.value)}
            data={[...(calendars.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (v${c.version})` })), { value: 'new', label: `+ ${t('admin.newCalendar')}` }]} />
        </Group>
      </Group>
      {calendars.data && <CalendarEditor key={current?.id ?? 'new'} calendar={current} onSaved={(id) => setSelected(id)} />}
    </Stack>
  );
}

function CalendarEditor({ calendar, onSaved }: { calendar: Calendar | null; onSaved: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const qc = useQueryClient();
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const [form, setForm] = useState<CalendarForm>(() => toForm(calendar?.name ?? '', (calendar?.document as CalendarDocument | undefined) ?? STANDARD_JP_CALENDAR));
  const [saved, setSaved] = useState(false);
  const [effectiveOn, setEffectiveOn] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const { doc, formIssues } = useMemo(() => toDocument(form), [form]);
  const checked = useMemo(() => validate(doc), [doc]);
  const issues = [...formIssues, ...(checked.ok ? [] : checked.issues)].map((i) => issueText(i, lang, t));
  const zone = checked.ok ? checked.doc.timeZone : form.timeZone;

  const [received, setReceived] = useState(() => toLocalInput(Date.now(), form.timeZone || 'Asia/Tokyo'));
  const [kind, setKind] = useState<'business' | 'calendar' | 'endOfNthBusinessDay'>('business');
  const [amount, setAmount] = useState<number>(540);
  const result = checked.ok ? trial(checked.doc, received, kind === 'endOfNthBusinessDay' ? { kind, n: Math.max(1, amount) } : { kind, minutes: Math.max(1, amount) }) : null;

  const set = <K extends keyof CalendarForm>(k: K, v: CalendarForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [k]: v }));
  };
  const save = async () => {
    setError(null);
    try {
      const body = { name: form.name, document: doc };
      // An edit is a new version, from the date given (local midnight) or from now.
      const c = calendar
        ? await patch<Calendar>(`/calendars/${calendar.id}`, { ...body, ...(effectiveOn ? { effectiveFrom: effectiveOn } : {}), ...(note.trim() ? { note: note.trim() } : {}) })
        : await post<Calendar>('/calendars', body);
      await qc.invalidateQueries({ queryKey: ['calendars'] });
      setSaved(true);
      onSaved(c.id);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <Grid>
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Card withBorder>
          <Stack>
            <Group grow align="flex-start">
              <TextInput label={t('common.name')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} />
              <TextInput label={t('admin.timeZone')} description={zoneName(form.timeZone, lang) === form.timeZone ? undefined : zoneName(form.timeZone, lang)} value={form.timeZone} onChange={(e) => set('timeZone', e.currentTarget.value)} />
            </Group>
            <Text size="sm" fw={500}>{t('admin.weekly')}</Text>
            <Text size="xs" c="dimmed" mt={-12}>{t('admin.weekdayHint')}</Text>
            {WEEK.map((d) => (
              <TextInput key={d} label={t(`admin.weekdays.${d}`)} value={form.weekly[d]} onChange={(e) => set('weekly', { ...form.weekly, [d]: e.currentTarget.value })}
                styles={{ root: { display: 'grid', gridTemplateColumns: '3rem 1fr', alignItems: 'center' } }} />
            ))}
            <Checkbox label={t('admin.jpHolidays')} checked={form.jpHolidays} onChange={(e) => set('jpHolidays', e.currentTarget.checked)} />
            <Group grow align="flex-start">
              <Textarea label={t('admin.extraHolidays')} autosize minRows={2} value={form.extraHolidays} onChange={(e) => set('extraHolidays', e.currentTarget.value)} />
              <Textarea label={t('admin.closures')} autosize minRows={2} value={form.closures} onChange={(e) => set('closures', e.currentTarget.value)} />
            </Group>
            <Textarea label={t('admin.overrides')} autosize minRows={2} ff="monospace" value={form.overrides} onChange={(e) => set('overrides', e.currentTarget.value)}
              placeholder='[{"date": "2026-12-26", "hours": [["09:00", "12:00"]]}]' />
            {issues.length > 0 && (
              <Alert color="red" title={t('admin.invalid')} role="alert">
                <List size="sm">{issues.map((i) => <List.Item key={i}>{i}</List.Item>)}</List>
              </Alert>
            )}
            {isAdmin && calendar && (
              <Group grow align="flex-start">
                <TextInput type="date" label={t('admin.effectiveFrom')} description={t('admin.effectiveHint')} value={effectiveOn}
                  onChange={(e) => { setSaved(false); setEffectiveOn(e.currentTarget.value); }} />
                <TextInput label={t('admin.versionNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
              </Group>
            )}
            <ErrorAlert error={error} />
            {isAdmin && (
              <Group justify="flex-end">
                {saved && <Text c="teal" size="sm">{t('admin.saved')}</Text>}
                <Button onClick={() => void save()} disabled={issues.length > 0 || !form.name.trim()}>{t('common.save')}</Button>
              </Group>
            )}
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        {calendar && (
          <Card withBorder mb="md" data-testid="calendar-versions">
            <Title order={2} size="h4" mb="xs">{t('admin.versions')}</Title>
            <List size="sm">
              {[...calendar.versions].reverse().map((v) => (
                <List.Item key={v.version}>
                  {Date.parse(v.effectiveFrom) === 0 ? t('admin.versionLineInitial', { version: v.version }) : t('admin.versionLine', { version: v.version, from: formatInstant(v.effectiveFrom, zone, lang) })}
                  {v.note && <Text span c="dimmed" size="xs"> — {v.note}</Text>}
                </List.Item>
              ))}
            </List>
          </Card>
        )}
        <Card withBorder mb="md">
          <MonthView doc={checked.ok ? checked.doc : null} overrides={form.overrides} onOverrides={(x) => set('overrides', x)} readOnly={!isAdmin} />
        </Card>
        <Card withBorder data-testid="trial">
          <Title order={2} size="h4" mb="xs">{t('admin.trial')}</Title>
          <Stack gap="xs">
            <TextInput type="datetime-local" label={t('admin.trialReceived', { zone: zoneName(zone, lang) })} value={received} onChange={(e) => setReceived(e.currentTarget.value)} />
            <Group grow>
              <NativeSelect label={t('admin.trialTarget')} value={kind} onChange={(e) => {
                const k = e.currentTarget.value as typeof kind;
                setKind(k);
                setAmount(k === 'endOfNthBusinessDay' ? 1 : k === 'calendar' ? 480 : 540);
              }}
                data={[{ value: 'business', label: t('admin.targetBusiness') }, { value: 'calendar', label: t('admin.targetCalendar') }, { value: 'endOfNthBusinessDay', label: t('admin.targetEndOfDay') }]} />
              <NumberInput label={kind === 'endOfNthBusinessDay' ? t('admin.trialN') : t('admin.trialMinutes')} min={1} value={amount}
                onChange={(v) => setAmount(typeof v === 'number' ? v : Number(v) || 1)} />
            </Group>
            {result && typeof result === 'string' && <Alert color="red">{t(result === 'unreadable' ? 'admin.trialUnreadable' : 'admin.trialFailed')}</Alert>}
            {result && typeof result !== 'string' && (
              <CountedTable counted={result.counted} paused={result.paused} totalSeconds={result.totalSeconds} due={result.due} zone={result.timeZone} lang={lang} t={t} />
            )}
          </Stack>
        </Card>
      </Grid.Col>
    </Grid>
  );
}

/** "Field: problem" in the UI language; the field is the editor's label (weekday, zone…), never the document path. */
function issueText(i: FormIssue, lang: Lang, t: (k: string) => string): string {
  const [head, sub] = i.path;
  const key = head === 'weekly' && typeof sub === 'string' ? `weekly.${sub}` : String(head ?? '');
  const labels: Record<string, string> = {
    ...Object.fromEntries(WEEK.map((d) => [`weekly.${d}`, t(`admin.weekdays.${d}`)])),
    weekly: t('admin.weekly'), timeZone: t('admin.timeZone'), holidays: t('admin.field.holidays'), closures: t('admin.field.closures'), overrides: t('admin.field.overrides'),
  };
  return issueLine(key, renderIssue(lang, i.code, i.params), labels);
}
