/** Incident attachments over the API (src/contract/attachments.ts). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Attachment as AttachmentSchema, AttachmentList as AttachmentListSchema } from '../../../src/contract/attachments.ts';
import { API, api, get, postForm, type ApiError } from '../../api/client.ts';

export type Attachment = z.infer<typeof AttachmentSchema>;
export type AttachmentList = z.infer<typeof AttachmentListSchema>;

export const attachmentUrl = (id: string) => `${API}/attachments/${id}`;

/** Uploads one file to an incident (the part is named `file`). */
export function uploadAttachment(incidentId: string, file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postForm<Attachment>(`/incidents/${incidentId}/attachments`, form);
}

export function useAttachments(incidentId: string) {
  return useQuery<AttachmentList, ApiError>({
    queryKey: ['attachments', incidentId],
    queryFn: () => get<AttachmentList>(`/incidents/${incidentId}/attachments`),
    refetchInterval: 30_000,
  });
}

/** Upload or remove; the list and the incident (its timeline entry) are read again. */
function useAttachmentWrite<T>(incidentId: string, fn: (arg: T) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation<unknown, ApiError, T>({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['attachments', incidentId] }),
        qc.invalidateQueries({ queryKey: ['incident', incidentId] }),
      ]);
    },
  });
}

export const useUploadAttachment = (incidentId: string) => useAttachmentWrite<File>(incidentId, (file) => uploadAttachment(incidentId, file));
export const useRemoveAttachment = (incidentId: string) => useAttachmentWrite<string>(incidentId, (id) => api('DELETE', `/attachments/${id}`));
