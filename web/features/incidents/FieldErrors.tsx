import { Alert, List } from '@mantine/core';
import type { z } from 'zod';
import { ApiError } from '../../api/client.ts';

/** Field → first message, from a zod result (client side) or an API error's issues (server side). */
export function fieldErrors(err: z.ZodError | ApiError | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!err) return out;
  const issues = err instanceof ApiError ? err.issues.map((i) => ({ path: i.path.filter((p) => p !== 'body'), message: i.message })) : err.issues;
  for (const i of issues) {
    const k = i.path.map(String).join('.');
    out[k] ??= i.message;
  }
  return out;
}

export function ErrorAlert({ error }: { error: ApiError | Error | null | undefined }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title={error.message}>
      {error instanceof ApiError && error.issues.length > 0 && (
        <List size="sm">{error.issues.map((i) => <List.Item key={i.path.join('.') + i.message}>{i.path.join('.')}: {i.message}</List.Item>)}</List>
      )}
    </Alert>
  );
}
