/** A small create form: labelled text fields, validated by a contract schema, posted to the API. */
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ApiError, asApiError, post } from '../../api/client.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';

export interface FieldSpec {
  name: string;
  label: string;
  type?: string;
  required?: boolean;
}

export function SimpleForm({ fields, schema, path, extra = {}, invalidate, submitLabel }: {
  fields: FieldSpec[]; schema: z.ZodType; path: string; extra?: Record<string, unknown>; invalidate: string; submitLabel: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>({});
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { ...extra, ...Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== '')) };
    const r = schema.safeParse(body);
    if (!r.success) return setErr(r.error);
    try {
      await post(path, r.data);
      setValues({});
      setErr(null);
      await qc.invalidateQueries({ queryKey: [invalidate] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="xs">
        <Group grow align="flex-start">
          {fields.map((f) => (
            <TextInput key={f.name} label={f.label} type={f.type ?? 'text'} required={f.required} size="sm" value={values[f.name] ?? ''} error={errors[f.name]}
              onChange={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })} />
          ))}
        </Group>
        {err instanceof ApiError && <ErrorAlert error={err} />}
        <Group justify="flex-end"><Button type="submit" size="xs">{submitLabel || t('common.add')}</Button></Group>
      </Stack>
    </form>
  );
}
