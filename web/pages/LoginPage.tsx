import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, asApiError, post, setCsrfToken } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { LanguageSwitch } from '../features/layout/LanguageSwitch.tsx';

export function LoginPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await post<Session>('/auth/login', { email, password });
      setCsrfToken(s.csrfToken);
      // Whatever the previous user saw is gone; the session observer stays attached.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      qc.setQueryData(['session'], s);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('login.failed') : asApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380} component="main">
        {/* noValidate: the messages come from the app in its language, not from the browser in the OS language. */}
        <form onSubmit={submit} aria-labelledby="login-title" noValidate>
          <Stack>
            <Group justify="space-between">
              <div>
                <Title order={1} size="h3" id="login-title">{t('app.name')}</Title>
                <Text size="sm" c="dimmed">{t('app.tagline')}</Text>
              </div>
              <LanguageSwitch />
            </Group>
            <Title order={2} size="h4">{t('login.title')}</Title>
            {error && <Alert color="red" role="alert">{error}</Alert>}
            <TextInput label={t('login.email')} type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <PasswordInput label={t('login.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy}>{t('login.submit')}</Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
