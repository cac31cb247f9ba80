/**
 * Reschedule a maintenance window: new start and end in the contract calendar's zone.
 * An announced window is announced again; too late for the notice rule, the API
 * refuses (its message shown) unless an emergency reason is given.
 */
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { UpdateMaintenanceBody } from '../../../src/contract/maintenance.ts';
import { ApiError, asApiError, patch } from '../../api/client.ts';
import { toLocalInput } from '../../lib/time.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';

export function RescheduleButton({ window: w, contractId, zone, toMs }: {
  window: { id: string; title: string; startsAt: string; endsAt: string }; contractId: string; zone: string;
  /** datetime-local wall time in `zone` → epoch ms (the maintenance page's own converter). */
  toMs: (local: string, zone: string) => number | null;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ start: '', end: '', emergencyReason: '' });
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const start = () => {
    setV({ start: toLocalInput(Date.parse(w.startsAt), zone), end: toLocalInput(Date.parse(w.endsAt), zone), emergencyReason: '' });
    setErr(null);
    setOpen(true);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const s = toMs(v.start, zone);
    const en = toMs(v.end, zone);
    const r = UpdateMaintenanceBody.safeParse({
      startsAt: s === null ? v.start : new Date(s).toISOString(), endsAt: en === null ? v.end : new Date(en).toISOString(),
      ...(v.emergencyReason.trim() ? { emergencyReason: v.emergencyReason } : {}),
    });
    if (!r.success) return setErr(r.error);
    try {
      await patch(`/maintenance/${w.id}`, r.data);
      await qc.invalidateQueries({ queryKey: ['maintenance', contractId] });
      await qc.invalidateQueries({ queryKey: ['maintenance-window', w.id] });
      setOpen(false);
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  return (
    <>
      <Button size="compact-xs" variant="default" onClick={start}>{t('adm.reschedule.button')}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('adm.reschedule.title', { title: w.title })}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="xs">
            <TextInput type="datetime-local" label={t('maintenance.startsAt')} required value={v.start} error={errors.startsAt} onChange={(e) => setV({ ...v, start: e.currentTarget.value })} />
            <TextInput type="datetime-local" label={t('maintenance.endsAt')} required value={v.end} error={errors.endsAt} onChange={(e) => setV({ ...v, end: e.currentTarget.value })} />
            <TextInput label={t('adm.reschedule.emergency')} description={t('adm.reschedule.emergencyHint')} value={v.emergencyReason} error={errors.emergencyReason}
              onChange={(e) => setV({ ...v, emergencyReason: e.currentTarget.value })} />
            {err instanceof ApiError && <ErrorAlert error={err} />}
            <Group justify="flex-end"><Button type="submit">{t('adm.reschedule.submit')}</Button></Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
