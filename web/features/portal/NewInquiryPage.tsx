/** A contact files an inquiry for one of their contracts; the desk sees it as "new" in the queue. */
import { Button, Card, Group, NativeSelect, SimpleGrid, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import { CreateIncidentBody } from '../../../src/contract/incidents.ts';
import { CATEGORIES, PRIORITIES } from '../../../src/contract/vocabulary.ts';
import { ApiError, asApiError, post } from '../../api/client.ts';
import type { IncidentDetail } from '../../api/types.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';
import { AttachmentPicker, RefusedUploadAlert, uploadPicked, type RefusedUpload } from '../attachments/AttachmentPicker.tsx';

export function NewInquiryPage() {
  const { t } = useTranslation();
  const lk = useLookup(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [contractId, setContractId] = useState('');
  const [systemId, setSystemId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('inquiry');
  const [suggested, setSuggested] = useState('');
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [refused, setRefused] = useState<RefusedUpload | null>(null);
  const cid = contractId || (lk.contracts.length === 1 ? lk.contracts[0]!.id : '');
  const contract = lk.contract(cid);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = CreateIncidentBody.safeParse({
      contractId: cid, title, category,
      ...(systemId ? { systemId } : {}),
      ...(description.trim() ? { description } : {}),
      ...(suggested ? { suggestedPriority: suggested } : {}),
    });
    if (!r.success) return setErr(r.error);
    setErr(null);
    setBusy(true);
    try {
      const created = await post<IncidentDetail>('/incidents', r.data);
      await qc.invalidateQueries({ queryKey: ['incidents'] });
      const path = `/portal/incidents/${created.id}`;
      const refusal = await uploadPicked(created, files, path);
      if (refusal) return setRefused(refusal);
      void navigate(path);
    } catch (x) {
      setErr(asApiError(x));
    } finally {
      setBusy(false);
    }
  };
  const errors = fieldErrors(err);
  return (
    <Stack maw={760}>
      <Title order={1} size="h2">{t('portal.newInquiry')}</Title>
      <Card withBorder>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NativeSelect label={t('phone.contract')} required value={cid} error={errors.contractId} onChange={(e) => setContractId(e.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...lk.contracts.map((c) => ({ value: c.id, label: c.name }))]} />
              <NativeSelect label={t('phone.system')} value={systemId} onChange={(e) => setSystemId(e.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...lk.systems.filter((s) => contract?.systemIds.includes(s.id)).map((s) => ({ value: s.id, label: s.name }))]} />
            </SimpleGrid>
            <TextInput label={t('phone.titleField')} required value={title} error={errors.title} onChange={(e) => setTitle(e.currentTarget.value)} />
            <Textarea label={t('incident.description')} autosize minRows={4} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NativeSelect label={t('phone.category')} value={category} onChange={(e) => setCategory(e.currentTarget.value)}
                data={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
              <NativeSelect label={t('portal.suggestedPriority')} value={suggested} onChange={(e) => setSuggested(e.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))]} />
            </SimpleGrid>
            <AttachmentPicker files={files} onChange={setFiles} />
            {refused && <RefusedUploadAlert refused={refused} />}
            {err instanceof ApiError && <ErrorAlert error={err} />}
            <Group justify="flex-end"><Button type="submit" loading={busy} disabled={!!refused}>{t('portal.submitInquiry')}</Button></Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
