/**
 * API tokens of one user: name, prefix, created, last use, expiry, revocation. A new
 * token's secret is shown once (only its hash is stored); revoking one makes it stop
 * working at once.
 */
import { Alert, Badge, Button, Code, CopyButton, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ApiToken as ApiTokenSchema, CreateTokenBody } from '../../../src/contract/auth.ts';
import { api, ApiError, asApiError, get, post } from '../../api/client.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/time.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';

type ApiToken = z.infer<typeof ApiTokenSchema>;
const ZONE = 'Asia/Tokyo';

/** `userId` = the tokens of that user (admin); without it, one's own. */
export function TokenPanel({ userId }: { userId?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const qc = useQueryClient();
  const key = ['tokens', userId ?? 'me'];
  const tokens = useQuery({ queryKey: key, queryFn: async () => (await get<{ items: ApiToken[] }>(`/tokens${userId ? `?userId=${userId}` : ''}`)).items });
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    // An expiry date means the end of that day in Japan (the desk's zone).
    const expiresAt = expires ? new Date(`${expires}T23:59:59+09:00`).toISOString() : undefined;
    const r = CreateTokenBody.safeParse({ name, ...(userId ? { userId } : {}), ...(expiresAt ? { expiresAt } : {}) });
    if (!r.success) return setErr(r.error);
    try {
      const res = await post<{ token: string }>('/tokens', r.data);
      setSecret(res.token);
      setName('');
      setExpires('');
      setErr(null);
      await qc.invalidateQueries({ queryKey: key });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const revoke = async (id: string) => {
    try {
      await api('DELETE', `/tokens/${id}`);
      setErr(null);
      await qc.invalidateQueries({ queryKey: key });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  const items = tokens.data ?? [];
  return (
    <Stack gap="xs" data-testid="token-panel">
      <Text fw={600} size="sm">{t('adm.tokens.title')}</Text>
      {items.length === 0 ? <Text size="sm" c="dimmed">{t('adm.tokens.none')}</Text> : (
        <Table.ScrollContainer minWidth={760}>
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('common.name')}</Table.Th><Table.Th>{t('adm.tokens.prefix')}</Table.Th><Table.Th>{t('adm.tokens.created')}</Table.Th>
                <Table.Th>{t('adm.tokens.lastUsed')}</Table.Th><Table.Th>{t('adm.tokens.expires')}</Table.Th><Table.Th>{t('adm.tokens.state')}</Table.Th><Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((x) => (
                <Table.Tr key={x.id} data-testid={`token-${x.name}`}>
                  <Table.Td>{x.name}</Table.Td>
                  <Table.Td><Code>{x.prefix}…</Code></Table.Td>
                  <Table.Td>{formatInstant(x.createdAt, ZONE, lang)}</Table.Td>
                  <Table.Td>{x.lastUsedAt ? formatInstant(x.lastUsedAt, ZONE, lang) : t('adm.tokens.neverUsed')}</Table.Td>
                  <Table.Td>{x.expiresAt ? formatInstant(x.expiresAt, ZONE, lang) : t('adm.tokens.noExpiry')}</Table.Td>
                  <Table.Td>
                    {x.revokedAt ? <Badge color="gray" variant="light">{t('adm.tokens.revoked')}</Badge>
                      : x.expiresAt && Date.parse(x.expiresAt) <= Date.now() ? <Badge color="gray" variant="light">{t('adm.tokens.expired')}</Badge>
                        : <Badge color="green" variant="light">{t('adm.tokens.active')}</Badge>}
                  </Table.Td>
                  <Table.Td>
                    {!x.revokedAt && <Button size="compact-xs" color="red" variant="light" onClick={() => void revoke(x.id)}>{t('adm.tokens.revoke')}</Button>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {secret && (
        <Alert color="yellow" title={t('adm.tokens.shownOnce')} withCloseButton onClose={() => setSecret(null)}>
          <Group gap="xs" wrap="nowrap">
            <Code data-testid="token-secret" style={{ wordBreak: 'break-all' }}>{secret}</Code>
            <CopyButton value={secret}>{({ copied, copy }) => <Button size="compact-xs" variant="default" onClick={copy}>{copied ? t('adm.copied') : t('adm.copy')}</Button>}</CopyButton>
          </Group>
        </Alert>
      )}
      <form onSubmit={(e) => void create(e)} noValidate>
        <Group align="flex-end" gap="xs">
          <TextInput size="sm" label={t('adm.tokens.name')} value={name} error={errors.name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput size="sm" type="date" label={t('adm.tokens.expires')} value={expires} error={errors.expiresAt} onChange={(e) => setExpires(e.currentTarget.value)} />
          <Button type="submit" size="sm">{t('adm.tokens.create')}</Button>
        </Group>
      </form>
      {err instanceof ApiError && <ErrorAlert error={err} />}
    </Stack>
  );
}
