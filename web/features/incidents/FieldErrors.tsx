import { Alert, List, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { z } from 'zod';
import { ApiError } from '../../api/client.ts';

/**
 * The field an API issue points at, as the form names it ("title", "reporter.email"):
 * the request part ("body") in front is dropped, a field called "body" is kept.
 */
const fieldKey = (path: readonly (string | number)[]): string => (path[0] === 'body' ? path.slice(1) : path).map(String).join('.');

/** Field → first message, from a zod result (client side) or an API error's issues (server side). */
export function fieldErrors(err: z.ZodError | ApiError | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!err) return out;
  const issues = err instanceof ApiError ? err.issues.map((i) => ({ key: fieldKey(i.path), message: i.message })) : err.issues.map((i) => ({ key: i.path.map(String).join('.'), message: i.message }));
  for (const i of issues) out[i.key] ??= i.message;
  return out;
}

/**
 * "Label: message" for an issue list. The field is named by the form's own label;
 * a field path ("reporter.email") is code, not words, so it is never shown.
 */
export function issueLine(key: string, message: string, labels: Record<string, string>): string {
  const label = labels[key];
  return label ? `${label}: ${message}` : message;
}

export function ErrorAlert({ error, labels = {} }: { error: ApiError | Error | null | undefined; labels?: Record<string, string> }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title={error.message}>
      {error instanceof ApiError && error.issues.length > 0 && (
        <List size="sm">{error.issues.map((i) => <List.Item key={i.path.join('.') + i.message}>{issueLine(fieldKey(i.path), i.message, labels)}</List.Item>)}</List>
      )}
    </Alert>
  );
}

/**
 * What a detail page shows until its record is loaded: the not-found page, the error, or the
 * loading line; null once the data is there (the page renders it).
 */
export function pendingView(q: { data?: unknown; error: ApiError | null }, loading: string, notFound: ReactElement): ReactElement | null {
  if (q.error?.notFound) return notFound;
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text>{loading}</Text>;
  return null;
}
