/**
 * A contract's change-request settings on the desk's list: whether deputies may approve,
 * and after how many business days a finished change closes itself unless the client
 * confirms it. Admins change them; agents read them.
 */
import { Button, Card, Checkbox, Group, NativeSelect, NumberInput, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, asApiError, get, type ApiError } from '../../api/client.ts';
import { useSession } from '../../api/hooks.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';
import { useLookup } from '../incidents/lookup.ts';

interface Settings { contractId: string; deputiesMayApprove: boolean; confirmationBusinessDays: number }

export function ChangeSettingsCard() {
  const { t } = useTranslation();
  const lk = useLookup(true);
  const admin = useSession().data?.user.role === 'admin';
  const [picked, setPicked] = useState('');
  const contractId = picked || lk.contracts[0]?.id || '';
  const q = useQuery({ queryKey: ['change-settings', contractId], queryFn: () => get<Settings>(`/contracts/${contractId}/change-settings`), enabled: Boolean(contractId) });
  const [draft, setDraft] = useState<Settings | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const qc = useQueryClient();
  const v = draft?.contractId === contractId ? draft : q.data;
  if (!v) return null;
  const save = async () => {
    try {
      const s = await api<Settings>('PUT', `/contracts/${contractId}/change-settings`, { deputiesMayApprove: v.deputiesMayApprove, confirmationBusinessDays: v.confirmationBusinessDays });
      qc.setQueryData(['change-settings', contractId], s);
      setDraft(null);
      setErr(null);
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <Card withBorder data-testid="change-settings">
      <Text fw={600} mb="xs">{t('change.settings')}</Text>
      <Group align="flex-end">
        <NativeSelect label={t('change.contract')} value={contractId} onChange={(e) => { setPicked(e.currentTarget.value); setDraft(null); }}
          data={lk.contracts.map((c) => ({ value: c.id, label: c.name }))} />
        <Checkbox label={t('change.deputiesMayApprove')} checked={v.deputiesMayApprove} disabled={!admin} mb={8}
          onChange={(e) => setDraft({ ...v, deputiesMayApprove: e.currentTarget.checked })} />
        <NumberInput label={t('change.confirmationDays')} min={1} max={60} w={220} value={v.confirmationBusinessDays} disabled={!admin}
          onChange={(x) => setDraft({ ...v, confirmationBusinessDays: Number(x) })} />
        {admin && <Button onClick={() => void save()} disabled={!draft}>{t('change.saveSettings')}</Button>}
      </Group>
      {err && <ErrorAlert error={err} />}
    </Card>
  );
}
