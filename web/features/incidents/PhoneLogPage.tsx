/**
 * Log a phone call in a few keystrokes: contract (type to jump in the list),
 * caller (the contract's designated contacts first, or someone else), what is
 * wrong, priority 1/2/3. Ctrl+Enter logs it; the call is recognized when logged
 * and the SLA clocks start. received_at = now minus "minutes ago".
 */
import { Alert, Button, Card, Group, Kbd, NativeSelect, NumberInput, SegmentedControl, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import { CreateIncidentBody } from '../../../src/contract/incidents.ts';
import { CATEGORIES, PRIORITIES } from '../../../src/contract/vocabulary.ts';
import { ApiError, asApiError, post } from '../../api/client.ts';
import type { IncidentDetail, Priority } from '../../api/types.ts';
import { ErrorAlert, fieldErrors, issueLine } from './FieldErrors.tsx';
import { useLookup } from './lookup.ts';
import { AttachmentPicker, RefusedUploadAlert, uploadPicked, type RefusedUpload } from '../attachments/AttachmentPicker.tsx';

const OTHER = '__other__';

export function PhoneLogPage() {
  const { t } = useTranslation();
  const lk = useLookup(true);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [contractId, setContractId] = useState('');
  const [caller, setCaller] = useState('');
  const [callerName, setCallerName] = useState('');
  const [callerEmail, setCallerEmail] = useState('');
  const [systemId, setSystemId] = useState('');
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<Priority>('urgent');
  const [category, setCategory] = useState('outage');
  const [minutesAgo, setMinutesAgo] = useState<number>(0);
  const [description, setDescription] = useState('');
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [refused, setRefused] = useState<RefusedUpload | null>(null);

  const contract = lk.contract(contractId);
  const contacts = lk.contacts.filter((c) => c.clientId === contract?.clientId)
    .sort((a, b) => Number(b.id === contract?.primaryContactId) - Number(a.id === contract?.primaryContactId));
  const systems = lk.systems.filter((s) => contract?.systemIds.includes(s.id));
  const chooseContract = (id: string) => {
    setContractId(id);
    const c = lk.contract(id);
    setCaller(c?.primaryContactId ?? '');
    setSystemId(c?.systemIds.length === 1 ? c.systemIds[0]! : '');
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const body = {
      contractId,
      title,
      channel: 'phone' as const,
      priority,
      category,
      ...(systemId ? { systemId } : {}),
      ...(description.trim() ? { description } : {}),
      receivedAt: new Date(Date.now() - Math.max(0, minutesAgo) * 60_000).toISOString(),
      reporter: caller && caller !== OTHER ? { contactId: caller } : { name: callerName || null, email: callerEmail || null },
    };
    const r = CreateIncidentBody.safeParse(body);
    if (!r.success) return setErr(r.error);
    setErr(null);
    setBusy(true);
    try {
      const created = await post<IncidentDetail>('/incidents', r.data);
      await qc.invalidateQueries({ queryKey: ['incidents'] });
      const path = `/incidents/${created.id}`;
      // The incident stands even when a file is refused: the form says which and links to it.
      const refusal = await uploadPicked(created, files, path);
      if (refusal) return setRefused(refusal);
      if (files.length === 0) qc.setQueryData(['incident', created.id], created);
      void navigate(path);
    } catch (x) {
      setErr(asApiError(x));
    } finally {
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  };
  const errors = fieldErrors(err);
  const labels: Record<string, string> = {
    contractId: t('phone.contract'), title: t('phone.titleField'), 'reporter.email': t('phone.callerEmail'), 'reporter.name': t('phone.callerName'),
    receivedAt: t('phone.minutesAgo'), systemId: t('phone.system'), description: t('phone.description'), category: t('phone.category'), priority: t('phone.priority'),
  };

  return (
    <Stack maw={860}>
      <Group justify="space-between">
        <Title order={1} size="h2">{t('phone.title')}</Title>
        <Text size="sm" c="dimmed"><Kbd>Ctrl</Kbd> + <Kbd>Enter</Kbd> {t('phone.hint')}</Text>
      </Group>
      <Card withBorder>
        <form onSubmit={(e) => void submit(e)} onKeyDown={onKey} noValidate aria-label={t('phone.title')}>
          <Stack>
            <NativeSelect label={t('phone.contract')} required autoFocus value={contractId} error={errors.contractId}
              onChange={(e) => chooseContract(e.currentTarget.value)}
              data={[{ value: '', label: '—' }, ...lk.contracts.map((c) => ({ value: c.id, label: `${lk.client(c.clientId)?.name ?? ''} / ${c.name}` }))]} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NativeSelect label={t('phone.caller')} value={caller} onChange={(e) => setCaller(e.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...contacts.map((c) => ({ value: c.id, label: `${c.name}${c.id === contract?.primaryContactId ? ' ★' : ''}` })), { value: OTHER, label: t('phone.callerOther') }]} />
              <NativeSelect label={t('phone.system')} value={systemId} onChange={(e) => setSystemId(e.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...systems.map((s) => ({ value: s.id, label: s.name }))]} />
            </SimpleGrid>
            {(caller === OTHER || caller === '') && (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('phone.callerName')} value={callerName} onChange={(e) => setCallerName(e.currentTarget.value)} />
                <TextInput label={t('phone.callerEmail')} type="email" value={callerEmail} error={errors['reporter.email']} onChange={(e) => setCallerEmail(e.currentTarget.value)} />
              </SimpleGrid>
            )}
            <TextInput label={t('phone.titleField')} required value={title} error={errors.title} onChange={(e) => setTitle(e.currentTarget.value)} />
            <Group align="flex-end" wrap="wrap">
              <div>
                <Text size="sm" fw={500} id="phone-priority">{t('phone.priority')}</Text>
                <SegmentedControl aria-labelledby="phone-priority" value={priority} onChange={(v) => setPriority(v as Priority)}
                  data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
              </div>
              <NativeSelect label={t('phone.category')} value={category} onChange={(e) => setCategory(e.currentTarget.value)}
                data={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
              <NumberInput label={t('phone.minutesAgo')} min={0} max={1440} w={160} value={minutesAgo} error={errors.receivedAt}
                onChange={(v) => setMinutesAgo(typeof v === 'number' ? v : Number(v) || 0)} />
            </Group>
            <Textarea label={t('phone.description')} autosize minRows={3} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            <AttachmentPicker files={files} onChange={setFiles} />
            {refused && <RefusedUploadAlert refused={refused} />}
            {err instanceof ApiError && <ErrorAlert error={err} labels={labels} />}
            {err && !(err instanceof ApiError) && <Alert color="red" role="alert">{Object.entries(errors).map(([k, v]) => issueLine(k, v, labels)).join(' / ')}</Alert>}
            <Group justify="flex-end">
              <Button type="submit" loading={busy} disabled={!!refused} size="md">{t('phone.submit')}</Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
