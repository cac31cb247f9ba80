/**
 * Every field of a contract (SPEC §2) in one form (admin): period, systems, backup
 * window, contact channels, designated contact and deputies, engineers in charge,
 * in/out-of-scope and free notes, SLA policy and version, calendar, and the
 * maintenance notice period (its own settings resource, saved after the contract).
 */
import { Alert, Anchor, Button, Card, Checkbox, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { UpdateContractBody } from '../../../src/contract/desk.ts';
import { UpdateMaintenanceSettingsBody, type MaintenanceSettings as MaintenanceSettingsSchema } from '../../../src/contract/maintenance.ts';
import { api, ApiError, asApiError, get, patch } from '../../api/client.ts';
import { useSlaPolicies } from '../../api/hooks.ts';
import type { Contract } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { zoneName } from '../../lib/format.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';

type Settings = z.infer<typeof MaintenanceSettingsSchema>;

interface FormState {
  name: string; startsOn: string; endsOn: string; systemIds: string[]; backupStart: string; backupEnd: string;
  contactEmail: string; contactPhone: string; primaryContactId: string; deputyContactIds: string[]; engineerIds: string[];
  inScopeNotes: string; outOfScopeNotes: string; notes: string; slaPolicyId: string; slaPolicyVersion: string; calendarId: string; noticeDays: string;
}

const fromContract = (c: Contract, s: Settings | undefined): FormState => ({
  name: c.name, startsOn: c.startsOn, endsOn: c.endsOn ?? '', systemIds: c.systemIds, backupStart: c.backupWindow?.start ?? '', backupEnd: c.backupWindow?.end ?? '',
  contactEmail: c.contactEmail ?? '', contactPhone: c.contactPhone ?? '', primaryContactId: c.primaryContactId ?? '', deputyContactIds: c.deputyContactIds,
  engineerIds: c.engineerIds, inScopeNotes: c.inScopeNotes, outOfScopeNotes: c.outOfScopeNotes, notes: c.notes, slaPolicyId: c.slaPolicyId,
  slaPolicyVersion: String(c.slaPolicyVersion), calendarId: c.calendarId, noticeDays: String(s?.noticeBusinessDays ?? 2),
});

export function ContractEditPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const contract = useQuery<Contract, ApiError>({ queryKey: ['contract', id], queryFn: () => get<Contract>(`/contracts/${id}`) });
  const settings = useQuery<Settings, ApiError>({ queryKey: ['maintenance-settings', id], queryFn: () => get<Settings>(`/contracts/${id}/maintenance-settings`) });
  if (contract.error) return <ErrorAlert error={contract.error} />;
  if (!contract.data || settings.isPending) return <Text>{t('common.loading')}</Text>;
  return <ContractForm key={contract.data.id} contract={contract.data} settings={settings.data} />;
}

function ContractForm({ contract, settings }: { contract: Contract; settings: Settings | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const lk = useLookup(true);
  const policies = useSlaPolicies();
  const qc = useQueryClient();
  const [v, setV] = useState<FormState>(() => fromContract(contract, settings));
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [v]);
  const set = <K extends keyof FormState>(k: K, x: FormState[K]) => setV((p) => ({ ...p, [k]: x }));
  const client = lk.client(contract.clientId);
  const contacts = lk.contacts.filter((c) => c.clientId === contract.clientId);
  const systems = lk.systems.filter((s) => s.clientId === contract.clientId);
  const staff = lk.users.filter((u) => u.role !== 'contact' && !u.disabled);
  const policy = policies.data?.find((p) => p.id === v.slaPolicyId);
  const versions = policy ? Array.from({ length: policy.currentVersion }, (_, i) => String(i + 1)) : [v.slaPolicyVersion];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const backupWindow = v.backupStart || v.backupEnd ? { start: v.backupStart, end: v.backupEnd } : null;
    const r = UpdateContractBody.safeParse({
      name: v.name, startsOn: v.startsOn, endsOn: v.endsOn || null, systemIds: v.systemIds, backupWindow,
      contactEmail: v.contactEmail.trim() || null, contactPhone: v.contactPhone.trim() || null,
      primaryContactId: v.primaryContactId || null, deputyContactIds: v.deputyContactIds.filter((x) => x !== v.primaryContactId), engineerIds: v.engineerIds,
      inScopeNotes: v.inScopeNotes, outOfScopeNotes: v.outOfScopeNotes, notes: v.notes,
      slaPolicyId: v.slaPolicyId, slaPolicyVersion: Number(v.slaPolicyVersion), calendarId: v.calendarId,
    });
    const n = UpdateMaintenanceSettingsBody.safeParse({ noticeBusinessDays: v.noticeDays === '' ? NaN : Number(v.noticeDays) });
    if (!r.success || !n.success) {
      const issues = [...(r.success ? [] : r.error.issues), ...(n.success ? [] : n.error.issues.map((i) => ({ ...i, path: ['noticeDays'] })))];
      return setErr(new z.ZodError(issues));
    }
    try {
      await patch<Contract>(`/contracts/${contract.id}`, r.data);
      if (n.data.noticeBusinessDays !== settings?.noticeBusinessDays) await api('PUT', `/contracts/${contract.id}/maintenance-settings`, n.data);
      setErr(null);
      await qc.invalidateQueries({ queryKey: ['contracts'] });
      await qc.invalidateQueries({ queryKey: ['contract', contract.id] });
      await qc.invalidateQueries({ queryKey: ['maintenance-settings', contract.id] });
      setSaved(true);
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  const backupError = errors['backupWindow.start'] ?? errors['backupWindow.end'] ?? errors.backupWindow;
  const opts = <T extends { id: string; name: string }>(xs: T[]) => [{ value: '', label: '—' }, ...xs.map((x) => ({ value: x.id, label: x.name }))];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('adm.contract.title', { name: contract.name })}</Title>
        <Anchor component={Link} to="/contracts">{t('common.back')}</Anchor>
      </Group>
      <Text c="dimmed">{client?.name}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Card withBorder>
            <Text fw={600} mb="xs">{t('adm.contract.basics')}</Text>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs">
              <TextInput label={t('common.name')} required value={v.name} error={errors.name} onChange={(e) => set('name', e.currentTarget.value)} />
              <TextInput type="date" label={t('admin.startsOn')} required value={v.startsOn} error={errors.startsOn} onChange={(e) => set('startsOn', e.currentTarget.value)} />
              <TextInput type="date" label={t('admin.endsOn')} value={v.endsOn} error={errors.endsOn} onChange={(e) => set('endsOn', e.currentTarget.value)} />
              <NativeSelect label={t('admin.policy')} value={v.slaPolicyId} error={errors.slaPolicyId}
                onChange={(e) => { const p = policies.data?.find((x) => x.id === e.currentTarget.value); setV((o) => ({ ...o, slaPolicyId: p?.id ?? '', slaPolicyVersion: String(p?.currentVersion ?? 1) })); }}
                data={(policies.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
              <NativeSelect label={t('adm.contract.policyVersion')} value={v.slaPolicyVersion} error={errors.slaPolicyVersion}
                onChange={(e) => set('slaPolicyVersion', e.currentTarget.value)} data={versions.map((x) => ({ value: x, label: `v${x}` }))} />
              <NativeSelect label={t('admin.calendar')} value={v.calendarId} error={errors.calendarId} onChange={(e) => set('calendarId', e.currentTarget.value)}
                description={v.calendarId ? zoneName(lk.zone(v.calendarId), lang, true) : undefined}
                data={lk.calendars.map((c) => ({ value: c.id, label: c.name }))} />
              <NumberInput label={t('adm.contract.noticeDays')} description={t('adm.contract.noticeDaysHint')} min={0} max={30} allowDecimal={false}
                value={v.noticeDays} error={errors.noticeDays} onChange={(x) => set('noticeDays', String(x))} />
              <Group grow align="flex-start" gap="xs">
                <TextInput type="time" label={t('adm.contract.backupStart')} value={v.backupStart} error={backupError} onChange={(e) => set('backupStart', e.currentTarget.value)} />
                <TextInput type="time" label={t('adm.contract.backupEnd')} value={v.backupEnd} onChange={(e) => set('backupEnd', e.currentTarget.value)} />
              </Group>
            </SimpleGrid>
          </Card>
          <Card withBorder>
            <Text fw={600} mb="xs">{t('adm.contract.people')}</Text>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs">
              <TextInput type="email" label={t('adm.contract.contactEmail')} value={v.contactEmail} error={errors.contactEmail} onChange={(e) => set('contactEmail', e.currentTarget.value)} />
              <TextInput label={t('adm.contract.contactPhone')} value={v.contactPhone} error={errors.contactPhone} onChange={(e) => set('contactPhone', e.currentTarget.value)} />
              <NativeSelect label={t('admin.primaryContact')} value={v.primaryContactId} error={errors.primaryContactId} onChange={(e) => set('primaryContactId', e.currentTarget.value)} data={opts(contacts)} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs" mt="xs">
              <Checkbox.Group label={t('admin.deputies')} value={v.deputyContactIds} error={errors.deputyContactIds} onChange={(x) => set('deputyContactIds', x)}>
                <Stack gap={4} mt={4}>{contacts.filter((c) => c.id !== v.primaryContactId).map((c) => <Checkbox key={c.id} value={c.id} label={c.name} />)}</Stack>
              </Checkbox.Group>
              <Checkbox.Group label={t('adm.contract.engineers')} value={v.engineerIds} error={errors.engineerIds} onChange={(x) => set('engineerIds', x)}>
                <Stack gap={4} mt={4}>{staff.map((u) => <Checkbox key={u.id} value={u.id} label={u.name} />)}</Stack>
              </Checkbox.Group>
              <Checkbox.Group label={t('admin.systems')} value={v.systemIds} error={errors.systemIds} onChange={(x) => set('systemIds', x)}>
                <Stack gap={4} mt={4}>{systems.map((s) => <Checkbox key={s.id} value={s.id} label={s.name} />)}</Stack>
              </Checkbox.Group>
            </SimpleGrid>
          </Card>
          <Card withBorder>
            <Text fw={600} mb="xs">{t('adm.contract.scope')}</Text>
            <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs">
              <Textarea autosize minRows={3} label={t('portal.inScope')} value={v.inScopeNotes} error={errors.inScopeNotes} onChange={(e) => set('inScopeNotes', e.currentTarget.value)} />
              <Textarea autosize minRows={3} label={t('portal.outOfScope')} value={v.outOfScopeNotes} error={errors.outOfScopeNotes} onChange={(e) => set('outOfScopeNotes', e.currentTarget.value)} />
              <Textarea autosize minRows={3} label={t('common.notes')} value={v.notes} error={errors.notes} onChange={(e) => set('notes', e.currentTarget.value)} />
            </SimpleGrid>
          </Card>
          {err instanceof ApiError && <ErrorAlert error={err} />}
          {err instanceof z.ZodError && <Alert color="red" role="alert">{t('adm.fixErrors')}</Alert>}
          {saved && <Alert color="green" role="status">{t('admin.saved')}</Alert>}
          <Group justify="flex-end"><Button type="submit">{t('common.save')}</Button></Group>
        </Stack>
      </form>
    </Stack>
  );
}
