/**
 * The two password pages outside the console (issue 17): `/reset/:token`, where the
 * link of a reset mail lets a user choose a password without signing in, and the
 * forced change a user meets after signing in with a one-time password (the API
 * answers auth.password_change_required to anything else until then).
 */
import { Alert, Anchor, Button, Center, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { z } from 'zod';
import { ResetBody } from '../../../src/contract/admin.ts';
import { api, ApiError, asApiError, post } from '../../api/client.ts';
import type { User } from '../../api/types.ts';
import { LanguageSwitch } from '../layout/LanguageSwitch.tsx';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';

function Frame({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={420} component="main">
        <Stack>
          <Group justify="space-between"><Text fw={700}>{t('app.name')}</Text><LanguageSwitch /></Group>
          <Title order={1} size="h3">{title}</Title>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

/** New password twice; the repeat is checked here only. */
function useNewPassword() {
  const { t } = useTranslation();
  const [v, setV] = useState({ current: '', password: '', repeat: '' });
  const mismatch = () => new z.ZodError([{ code: 'custom', path: ['repeat'], message: t('adm.profile.mismatch'), input: v.repeat }]);
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) => setV({ ...v, [k]: e.currentTarget.value });
  return { v, set, mismatch };
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const check = useQuery({ queryKey: ['reset-check', token], queryFn: () => post<{ email: string; expiresAt: string }>('/auth/reset/check', { token }), retry: false });
  const { v, set, mismatch } = useNewPassword();
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = ResetBody.safeParse({ token, password: v.password });
    if (!r.success) return setErr(r.error);
    if (v.password !== v.repeat) return setErr(mismatch());
    try {
      await post('/auth/reset', r.data);
      setErr(null);
      setDone(true);
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  const toLogin = <Anchor href="/">{t('accounts.reset.toLogin')}</Anchor>;
  if (check.isPending) return <Frame title={t('accounts.reset.title')}><Text>{t('accounts.reset.checking')}</Text></Frame>;
  if (check.error) return <Frame title={t('accounts.reset.title')}><ErrorAlert error={asApiError(check.error)} />{toLogin}</Frame>;
  if (done) return <Frame title={t('accounts.reset.title')}><Alert color="green" role="status">{t('accounts.reset.done')}</Alert>{toLogin}</Frame>;
  return (
    <Frame title={t('accounts.reset.title')}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs">
          <Text size="sm">{t('accounts.reset.for', { email: check.data.email })}</Text>
          <PasswordInput label={t('adm.profile.new')} description={t('adm.profile.policy')} required autoFocus value={v.password} error={errors.password} onChange={set('password')} autoComplete="new-password" />
          <PasswordInput label={t('adm.profile.repeat')} required value={v.repeat} error={errors.repeat} onChange={set('repeat')} autoComplete="new-password" />
          {err instanceof ApiError && <ErrorAlert error={err} />}
          <Button type="submit">{t('accounts.reset.submit')}</Button>
        </Stack>
      </form>
    </Frame>
  );
}

export function ForcedPasswordChange({ user }: { user: User }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { v, set, mismatch } = useNewPassword();
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = ResetBody.pick({ password: true }).extend({ currentPassword: z.string().min(1) }).safeParse({ currentPassword: v.current, password: v.password });
    if (!r.success) return setErr(r.error);
    if (v.password !== v.repeat) return setErr(mismatch());
    try {
      await api('PUT', `/users/${user.id}/password`, r.data);
      setErr(null);
      await qc.invalidateQueries({ queryKey: ['session'] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const logout = async () => {
    await post('/auth/logout').catch(() => undefined);
    qc.setQueryData(['session'], null);
  };
  const errors = fieldErrors(err);
  return (
    <Frame title={t('accounts.forced.title')}>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="forced-password-change">
        <Stack gap="xs">
          <Text size="sm">{t('accounts.forced.body')}</Text>
          <Text size="sm" c="dimmed">{user.email}</Text>
          <PasswordInput label={t('accounts.forced.current')} required autoFocus value={v.current} error={errors.currentPassword} onChange={set('current')} autoComplete="current-password" />
          <PasswordInput label={t('adm.profile.new')} description={t('adm.profile.policy')} required value={v.password} error={errors.password} onChange={set('password')} autoComplete="new-password" />
          <PasswordInput label={t('adm.profile.repeat')} required value={v.repeat} error={errors.repeat} onChange={set('repeat')} autoComplete="new-password" />
          {err instanceof ApiError && <ErrorAlert error={err} />}
          <Group justify="space-between">
            <Button variant="default" onClick={() => void logout()}>{t('accounts.forced.logout')}</Button>
            <Button type="submit">{t('adm.profile.change')}</Button>
          </Group>
        </Stack>
      </form>
    </Frame>
  );
}
