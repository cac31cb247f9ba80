/** The signed-in user's own profile: name and language, password change (the current one first), their API tokens. */
import { Alert, Button, Card, Group, NativeSelect, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { UpdateProfileBody } from '../../../src/contract/admin.ts';
import { SetPasswordBody } from '../../../src/contract/auth.ts';
import { api, ApiError, asApiError, patch } from '../../api/client.ts';
import { useSession } from '../../api/hooks.ts';
import type { User } from '../../api/types.ts';
import { setLang } from '../../i18n/index.ts';
import { ErrorAlert, fieldErrors } from '../incidents/FieldErrors.tsx';
import { TokenPanel } from './TokenPanel.tsx';

export function ProfilePage() {
  const { t } = useTranslation();
  const session = useSession();
  const user = session.data?.user;
  if (!user) return null;
  return (
    <Stack>
      <Title order={1} size="h2">{t('adm.profile.title')}</Title>
      <Text c="dimmed" size="sm">{user.email} · {t(`adm.users.roles.${user.role}`)}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ProfileForm user={user} />
        <PasswordForm user={user} />
      </SimpleGrid>
      <Card withBorder><TokenPanel /></Card>
    </Stack>
  );
}

function ProfileForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState(user.name);
  const [locale, setLocale] = useState<'ja' | 'en'>(user.locale);
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = UpdateProfileBody.safeParse({ name, locale });
    if (!r.success) return setErr(r.error);
    try {
      await patch<User>('/auth/profile', r.data);
      setErr(null);
      setSaved(true);
      setLang(locale);
      await qc.invalidateQueries({ queryKey: ['session'] });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  return (
    <Card withBorder>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs">
          <Text fw={600}>{t('adm.profile.details')}</Text>
          <TextInput label={t('common.name')} required value={name} error={errors.name} onChange={(e) => { setName(e.currentTarget.value); setSaved(false); }} />
          <NativeSelect label={t('adm.profile.language')} value={locale} onChange={(e) => setLocale(e.currentTarget.value as 'ja' | 'en')}
            data={[{ value: 'ja', label: t('lang.ja') }, { value: 'en', label: t('lang.en') }]} />
          {err instanceof ApiError && <ErrorAlert error={err} />}
          {saved && <Alert color="green">{t('admin.saved')}</Alert>}
          <Group justify="flex-end"><Button type="submit">{t('common.save')}</Button></Group>
        </Stack>
      </form>
    </Card>
  );
}

function PasswordForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ currentPassword: '', password: '', repeat: '' });
  const [err, setErr] = useState<z.ZodError | ApiError | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The repeat is checked here only: the API never sees it.
    const schema = SetPasswordBody.extend({ currentPassword: z.string().min(1) });
    const r = schema.safeParse({ currentPassword: v.currentPassword, password: v.password });
    if (!r.success) return setErr(r.error);
    if (v.password !== v.repeat) {
      return setErr(new z.ZodError([{ code: 'custom', path: ['repeat'], message: t('adm.profile.mismatch'), input: v.repeat }]));
    }
    try {
      await api('PUT', `/users/${user.id}/password`, r.data);
      setErr(null);
      setDone(true);
      setV({ currentPassword: '', password: '', repeat: '' });
    } catch (x) {
      setErr(asApiError(x));
    }
  };
  const errors = fieldErrors(err);
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) => { setV({ ...v, [k]: e.currentTarget.value }); setDone(false); };
  return (
    <Card withBorder>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="xs">
          <Text fw={600}>{t('adm.profile.password')}</Text>
          <PasswordInput label={t('adm.profile.current')} required value={v.currentPassword} error={errors.currentPassword} onChange={set('currentPassword')} autoComplete="current-password" />
          <PasswordInput label={t('adm.profile.new')} description={t('adm.profile.policy')} required value={v.password} error={errors.password} onChange={set('password')} autoComplete="new-password" />
          <PasswordInput label={t('adm.profile.repeat')} required value={v.repeat} error={errors.repeat} onChange={set('repeat')} autoComplete="new-password" />
          {err instanceof ApiError && <ErrorAlert error={err} />}
          {done && <Alert color="green">{t('adm.profile.changed')}</Alert>}
          <Group justify="flex-end"><Button type="submit">{t('adm.profile.change')}</Button></Group>
        </Stack>
      </form>
    </Card>
  );
}
