/**
 * Users (admin): list, create, disable/enable, reset a password by an e-mailed link or to
 * a one-time password shown once (the user must replace it), and each user's API tokens.
 */
import { Alert, Badge, Button, Card, Code, CopyButton, Group, Modal, NativeSelect, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { CreateUserBody } from '../../../src/contract/auth.ts';
import { ApiError, asApiError, patch, post } from '../../api/client.ts';
import { useClients, useSession, useUsers } from '../../api/hooks.ts';
import type { User } from '../../api/types.ts';
import type { Lang } from '../../i18n/index.ts';
import { formatInstant } from '../../lib/format.ts';
import { EmailAddress } from '../../lib/EmailAddress.tsx';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { DEFAULT_ZONE } from '../incidents/lookup.ts';
import { TokenPanel } from './TokenPanel.tsx';
import { WHOLE_WORD_TABLE } from '../../lib/table.ts';

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const users = useUsers(true);
  const clients = useClients();
  const qc = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const [otp, setOtp] = useState<{ user: User; password: string; revokedTokens: number } | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [linkSent, setLinkSent] = useState<{ email: string; expiresAt: string } | null>(null);
  const clientName = (id: string | null) => clients.data?.find((c) => c.id === id)?.name ?? '';
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      setErr(null);
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const sendLink = (u: User) => act(async () => {
    setLinkSent(await post<{ email: string; expiresAt: string }>(`/users/${u.id}/reset-link`));
  });
  const reset = (u: User) => act(async () => {
    const r = await post<{ password: string; revokedTokens: number }>(`/users/${u.id}/one-time-password`);
    setOtp({ user: u, ...r });
    await qc.invalidateQueries({ queryKey: ['tokens', u.id] });
  });
  return (
    <Stack>
      <Title order={1} size="h2">{t('adm.users.title')}</Title>
      {err && <ErrorAlert error={err} />}
      {linkSent && (
        <Alert color="green" role="status" withCloseButton onClose={() => setLinkSent(null)}>
          {t('accounts.linkSent', { email: linkSent.email, until: formatInstant(linkSent.expiresAt, DEFAULT_ZONE, i18n.language as Lang) })}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={760}>
        <Table striped fz="sm" styles={WHOLE_WORD_TABLE} data-testid="user-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th><Table.Th>{t('common.email')}</Table.Th><Table.Th>{t('adm.users.role')}</Table.Th>
              <Table.Th>{t('admin.client')}</Table.Th><Table.Th>{t('adm.users.state')}</Table.Th><Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users.data ?? []).map((u) => (
              <UserRow key={u.id} u={u} clientName={clientName(u.clientId)} isAdmin={isAdmin} self={u.id === session.data?.user.id} open={open === u.id}
                onToggle={() => setOpen(open === u.id ? null : u.id)}
                onDisable={() => void act(() => patch(`/users/${u.id}`, { disabled: !u.disabled }))}
                onReset={() => void reset(u)} onSendLink={() => void sendLink(u)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {isAdmin && <NewUser />}
      <Modal opened={otp !== null} onClose={() => setOtp(null)} title={t('adm.users.otpTitle', { name: otp?.user.name ?? '' })}>
        {otp && (
          <Stack gap="xs">
            <Alert color="yellow">{t('adm.users.otpOnce')}</Alert>
            <Group gap="xs" wrap="nowrap">
              <Code fz="lg" data-testid="one-time-password">{otp.password}</Code>
              <CopyButton value={otp.password}>{({ copied, copy }) => <Button size="compact-sm" variant="default" onClick={copy}>{copied ? t('adm.copied') : t('adm.copy')}</Button>}</CopyButton>
            </Group>
            <Text size="sm" c="dimmed">{t('adm.users.otpEnded', { count: otp.revokedTokens })}</Text>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function UserRow({ u, clientName, isAdmin, self, open, onToggle, onDisable, onReset, onSendLink }: {
  u: User; clientName: string; isAdmin: boolean; self: boolean; open: boolean; onToggle: () => void; onDisable: () => void; onReset: () => void; onSendLink: () => void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Table.Tr data-testid={`user-${u.email}`}>
        <Table.Td>{u.name}</Table.Td>
        <Table.Td><EmailAddress address={u.email} /></Table.Td>
        <Table.Td>{t(`adm.users.roles.${u.role}`)}</Table.Td>
        <Table.Td>{clientName}</Table.Td>
        <Table.Td>{u.disabled ? <Badge color="gray">{t('adm.users.disabled')}</Badge> : <Badge color="green" variant="light">{t('adm.users.enabled')}</Badge>}</Table.Td>
        <Table.Td>
          {isAdmin && (
            <Group gap={4} wrap="nowrap" justify="flex-end">
              <Button size="compact-xs" variant="default" onClick={onToggle}>{open ? t('common.close') : t('adm.tokens.title')}</Button>
              {!self && !u.disabled && <Button size="compact-xs" variant="default" onClick={onSendLink}>{t('accounts.sendLink')}</Button>}
              {!self && <Button size="compact-xs" variant="default" onClick={onReset} title={t('adm.users.resetPassword')}>{t('accounts.oneTime')}</Button>}
              {!self && u.disabled && <Button size="compact-xs" variant="light" color="green" onClick={onDisable}>{t('adm.users.enable')}</Button>}
              {/* Disabling ends the user's sessions and revokes their tokens for good: asked twice. */}
              {!self && !u.disabled && !confirming && <Button size="compact-xs" variant="light" color="red" onClick={() => setConfirming(true)}>{t('adm.users.disable')}</Button>}
              {!self && !u.disabled && confirming && (
                <>
                  <Text size="xs" c="red">{t('adm.users.disableConfirm')}</Text>
                  <Button size="compact-xs" color="red" onClick={() => { setConfirming(false); onDisable(); }}>{t('adm.users.disableYes')}</Button>
                  <Button size="compact-xs" variant="default" onClick={() => setConfirming(false)}>{t('common.cancel')}</Button>
                </>
              )}
            </Group>
          )}
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={6}><TokenPanel userId={u.id} /></Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function NewUser() {
  const { t } = useTranslation();
  const clients = useClients();
  const qc = useQueryClient();
  const [v, setV] = useState<Record<string, string>>({ role: 'agent', locale: 'ja' });
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: string, x: string) => setV({ ...v, [k]: x });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = CreateUserBody.safeParse({
      email: v.email ?? '', name: v.name ?? '', role: v.role, locale: v.locale,
      ...(v.role === 'contact' ? { clientId: v.clientId ?? '' } : {}),
      ...(v.password ? { password: v.password } : {}),
    });
    if (!r.success) return setErr(r.error);
    try {
      const u = await post<User>('/users', r.data);
      setErr(null);
      setDone(u.email);
      setV({ role: v.role ?? 'agent', locale: v.locale ?? 'ja' });
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t('adm.users.new')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs">
          <TextInput label={t('common.email')} type="email" required value={v.email ?? ''} error={errors.email} onChange={(e) => set('email', e.currentTarget.value)} />
          <TextInput label={t('common.name')} required value={v.name ?? ''} error={errors.name} onChange={(e) => set('name', e.currentTarget.value)} />
          <NativeSelect label={t('adm.users.role')} value={v.role} onChange={(e) => set('role', e.currentTarget.value)}
            data={(['agent', 'admin', 'contact'] as const).map((r) => ({ value: r, label: t(`adm.users.roles.${r}`) }))} />
          {v.role === 'contact' && (
            <NativeSelect label={t('admin.client')} required value={v.clientId ?? ''} error={errors.clientId} onChange={(e) => set('clientId', e.currentTarget.value)}
              data={[{ value: '', label: '—' }, ...(clients.data ?? []).map((c) => ({ value: c.id, label: c.name }))]} />
          )}
          <NativeSelect label={t('adm.profile.language')} value={v.locale} onChange={(e) => set('locale', e.currentTarget.value)}
            data={[{ value: 'ja', label: t('lang.ja') }, { value: 'en', label: t('lang.en') }]} />
          <PasswordInput label={t('adm.users.initialPassword')} description={t('adm.users.initialPasswordHint')} value={v.password ?? ''} error={errors.password}
            onChange={(e) => set('password', e.currentTarget.value)} />
        </SimpleGrid>
        {err instanceof ApiError && <ErrorAlert error={err} />}
        {done && <Alert color="green" mt="xs">{t('adm.users.created', { email: done })}</Alert>}
        <Group justify="flex-end" mt="xs"><Button type="submit">{t('common.create')}</Button></Group>
      </form>
    </Card>
  );
}
