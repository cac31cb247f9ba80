/** On the desk's incident page: an open incident of category "change request" moves to a change request (the incident is closed, linked). */
import { Button } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, asApiError, post } from '../../api/client.ts';
import type { ChangeRequestDetail } from '../../api/change-requests.ts';
import { ErrorAlert } from '../incidents/FieldErrors.tsx';

export function MoveToChangeButton({ incident }: { incident: { id: string; category: string; status: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [err, setErr] = useState<ApiError | null>(null);
  if (incident.category !== 'change_request' || incident.status === 'closed') return null;
  const move = async () => {
    try {
      const d = await post<ChangeRequestDetail>('/change-requests/from-incident', { incidentId: incident.id });
      await qc.invalidateQueries({ queryKey: ['incident', incident.id] });
      void navigate(`/changes/${d.id}`);
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  return (
    <>
      <Button variant="light" color="violet" onClick={() => void move()} data-testid="move-to-change">{t('change.moveFromIncident')}</Button>
      {err && <ErrorAlert error={err} />}
    </>
  );
}
