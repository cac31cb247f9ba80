/**
 * The records of `hoshu contract import|export`: clients, contacts, systems and
 * contracts as flat rows, one shape for CSV (one file, a `kind` column, lists
 * separated by ";") and JSON (an array of the same objects, lists as arrays).
 * References are by name or e-mail, so a spreadsheet can be written by hand:
 * a contact, system or contract names its client; a contract names its calendar and
 * SLA policy, its systems, its designated contact and deputies (contact e-mails) and
 * its engineers (user e-mails).
 *
 * Stable keys for the upsert: the id when a row has one (an export always writes it),
 * else the client's name, a contact's e-mail (or name) within its client, a system's
 * or contract's name within its client.
 */
import type { z } from 'zod';
import { CreateClientBody, CreateContactBody, CreateContractBody, CreateSystemBody } from '../contract/desk.ts';
import type { ErrorIssue } from '../errors.ts';
import { toIssues } from '../http/validation.ts';

export const KINDS = ['client', 'contact', 'system', 'contract'] as const;
export type Kind = (typeof KINDS)[number];

export const COLUMNS = [
  'kind', 'id', 'client', 'name', 'name_kana', 'email', 'phone', 'description', 'notes',
  'starts_on', 'ends_on', 'contracted_users', 'calendar', 'sla_policy', 'sla_policy_version', 'backup_window',
  'contact_email', 'contact_phone', 'in_scope_notes', 'out_of_scope_notes', 'systems', 'primary_contact', 'deputy_contacts', 'engineers',
] as const;
export type Column = (typeof COLUMNS)[number];
export type Record_ = Partial<Record<Column, string | string[]>>;

/** A row as read, with where it came from ("line 4" of a CSV, "record 3" of JSON). */
export interface SourceRow { at: number; values: Record_ }

/** One refusal: where, and the problem (an i18n key with its values, or field issues). */
export interface RowError { at: number; key: string; params?: Record<string, string | number>; issues?: ErrorIssue[] }

const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join(';') : (v ?? '')).trim();
export const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : (v ?? '').split(';')).map((x) => String(x).trim()).filter(Boolean);
const orNull = (s: string): string | null => (s === '' ? null : s);

/** The fields a row sets, checked by the API's own schemas (references resolved later). */
export function fieldsOf(kind: Kind, r: Record_): { body?: Record<string, unknown>; issues: ErrorIssue[] } {
  const check = <S extends z.ZodType>(schema: S, input: Record<string, unknown>) => {
    const parsed = schema.safeParse(input);
    return parsed.success ? { body: parsed.data as Record<string, unknown>, issues: [] } : { issues: toIssues(parsed.error, []) };
  };
  switch (kind) {
    case 'client':
      return check(CreateClientBody, { name: text(r.name), nameKana: orNull(text(r.name_kana)), notes: text(r.notes) });
    case 'contact':
      return check(CreateContactBody, { clientId: PLACEHOLDER, name: text(r.name), email: orNull(text(r.email)), phone: orNull(text(r.phone)) });
    case 'system':
      return check(CreateSystemBody, { clientId: PLACEHOLDER, name: text(r.name), description: text(r.description) });
    case 'contract': {
      const users = text(r.contracted_users);
      const version = text(r.sla_policy_version);
      const win = text(r.backup_window);
      const m = /^(\S+)\s*[-–~]\s*(\S+)$/.exec(win);
      return check(CreateContractBody, {
        clientId: PLACEHOLDER,
        name: text(r.name),
        startsOn: text(r.starts_on),
        endsOn: orNull(text(r.ends_on)),
        contractedUsers: users === '' ? null : Number(users),
        ...(version === '' ? {} : { slaPolicyVersion: Number(version) }),
        backupWindow: win === '' ? null : m ? { start: m[1], end: m[2] } : { start: win, end: '' },
        contactEmail: orNull(text(r.contact_email)),
        contactPhone: orNull(text(r.contact_phone)),
        inScopeNotes: text(r.in_scope_notes),
        outOfScopeNotes: text(r.out_of_scope_notes),
        notes: text(r.notes),
      });
    }
  }
}

/** The shape checks every row needs before any lookup: a known kind, a well-formed id, a client named. */
export function shapeErrors(row: SourceRow): RowError[] {
  const kind = text(row.values.kind);
  if (!(KINDS as readonly string[]).includes(kind)) return [{ at: row.at, key: 'cli.transfer.badKind', params: { kind } }];
  const out: RowError[] = [];
  const id = text(row.values.id);
  if (id !== '' && !UUID.test(id)) out.push({ at: row.at, key: 'cli.transfer.badId', params: { id } });
  if (kind !== 'client' && text(row.values.client) === '') out.push({ at: row.at, key: 'cli.transfer.noClient' });
  const { issues } = fieldsOf(kind as Kind, row.values);
  if (issues.length) out.push({ at: row.at, key: 'cli.transfer.invalid', params: { kind }, issues });
  return out;
}
