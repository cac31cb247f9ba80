/** An "edit" button opening a small form prefilled with a record's fields, validated by a contract schema, saved with PATCH. */
import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ApiError, asApiError, patch } from '../../api/client.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';

export interface EditField {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'textarea';
  required?: boolean;
  /** An emptied optional field is sent as null (cleared) rather than "". */
  nullable?: boolean;
}

export function EditButton({ title, fields, initial, schema, path, invalidate, testId }: {
  title: string; fields: EditField[]; initial: Record<string, string | null>; schema: z.ZodType; path: string; invalidate: string; testId?: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [v, setV] = useState<Record<string, string>>({});
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const start = () => {
    setV(Object.fromEntries(fields.map((f) => [f.name, initial[f.name] ?? ''])));
    setErr(null);
    setOpen(true);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = Object.fromEntries(fields.map((f) => [f.name, f.nullable && (v[f.name] ?? '').trim() === '' ? null : (v[f.name] ?? '')]));
    const r = schema.safeParse(body);
    if (!r.success) return setErr(r.error);
    try {
      await patch(path, r.data);
      await qc.invalidateQueries({ queryKey: [invalidate] });
      setOpen(false);
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={start} data-testid={testId}>{t('common.edit')}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="xs">
            {fields.map((f) => (f.type === 'textarea'
              ? <Textarea key={f.name} autosize minRows={2} label={f.label} value={v[f.name] ?? ''} error={errors[f.name]} onChange={(e) => setV({ ...v, [f.name]: e.currentTarget.value })} />
              : <TextInput key={f.name} type={f.type ?? 'text'} label={f.label} required={f.required} value={v[f.name] ?? ''} error={errors[f.name]}
                  onChange={(e) => setV({ ...v, [f.name]: e.currentTarget.value })} />))}
            {err instanceof ApiError && <ErrorAlert error={err} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
              <Button type="submit">{t('common.save')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
