/**
 * fast-check arbitraries from the JSON Schema the OpenAPI document gives for each
 * request body (the contract's zod schemas through z.toJSONSchema), plus the
 * mutations a hostile or buggy client sends. Ids are not drawn blindly: a string
 * the schema calls a UUIDv7 is a `Pick` of a pool that the harness fills with the
 * desk's real ids as the run goes, so the services are reached, not only the
 * schema check.
 */
import fc from 'fast-check';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  description?: string;
  $ref?: string;
};

/** A placeholder for "an id of this pool"; resolved against the pools when the request is sent. */
export const PICK = Symbol('pick');
export interface Pick { [PICK]: string; n: number }
export const isPick = (v: unknown): v is Pick => typeof v === 'object' && v !== null && PICK in v;

/** Body field name → id pool (the pools are named after the API's collections). */
export function poolOfField(name: string): string {
  const base = name.replace(/Ids?$/, '');
  const map: Record<string, string> = {
    client: 'clients', contact: 'contacts', primaryContact: 'contacts', deputyContact: 'contacts', system: 'systems',
    contract: 'contracts', calendar: 'calendars', slaPolicy: 'sla-policies', assignee: 'users', engineer: 'users', user: 'users',
    incident: 'incidents', monitor: 'monitors',
  };
  return map[base] ?? '*';
}

const pickOf = (pool: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.nat().map((n): Pick => ({ [PICK]: pool, n })) },
    { weight: 1, arbitrary: fc.uuid({ version: 7 }) },
    { weight: 1, arbitrary: fc.nat().map((n): Pick => ({ [PICK]: '*', n })) },
  );

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Mostly plausible (2025–2027, any offset), sometimes the edges the desk must survive. */
const EXTREME_INSTANTS = [
  '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+09:00', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '2050-12-31T23:59:59+09:00',
  '2051-01-01T00:00:00+09:00', '2060-01-05T10:00:00+09:00', '2199-12-31T23:59:59Z', '9999-12-31T23:59:59.999Z', '2026-02-29T10:00:00Z',
  '2028-02-29T10:00:00+14:00', '2026-04-01T09:00:00.123456789+09:00',
];
const EXTREME_DATES = ['0000-01-01', '0001-01-01', '1969-12-31', '2050-12-31', '2051-01-01', '2060-01-05', '9999-12-31', '2028-02-29'];

export const instantArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ y: fc.integer({ min: 2025, max: 2027 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), ms: fc.integer({ min: 0, max: 999 }), off: fc.constantFrom('Z', '+09:00', '-05:00', '+05:45') })
      .map((x) => `${x.y}-${pad(x.mo)}-${pad(x.d)}T${pad(x.h)}:${pad(x.mi)}:00.${pad(x.ms, 3)}${x.off}`),
  },
  { weight: 2, arbitrary: fc.constantFrom(...EXTREME_INSTANTS) },
);
export const dateArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ y: fc.integer({ min: 2025, max: 2027 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }).map((x) => `${x.y}-${pad(x.mo)}-${pad(x.d)}`) },
  { weight: 2, arbitrary: fc.constantFrom(...EXTREME_DATES) },
);

/** Valid calendar documents (the schema says only "unknown": the SLA core validates it). */
const calendarDocArb = fc.record({
  timeZone: fc.constantFrom('Asia/Tokyo', 'UTC', 'America/New_York', 'Mars/Olympus'),
  weekly: fc.constantFrom({ mon: [['09:00', '18:00']], tue: [['09:00', '12:00'], ['13:00', '18:00']] }, {}, { sat: [['10:00', '24:00']] }),
  holidays: fc.constantFrom(['jp'], [], ['2026-05-01', '12-24'], ['jp', '2060-01-05']),
  closures: fc.constantFrom([{ from: '12-29', to: '01-03' }], [], [{ from: '2026-08-10', to: '2026-08-14' }]),
});

export interface ArbOptions {
  /** Resolves "#/components/schemas/X". */
  resolve(ref: string): JsonSchema;
}

export function schemaArb(schema: JsonSchema, o: ArbOptions, fieldName = '', depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return schemaArb(o.resolve(schema.$ref), o, fieldName, depth);
  if (depth > 8) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) return fc.oneof(...alts.map((s) => schemaArb(s, o, fieldName, depth + 1)));
  if (schema.allOf?.length) return schemaArb(schema.allOf[0]!, o, fieldName, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArb(schema, fieldName);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e9), max: Math.min(schema.maximum ?? 100_000, 1e9) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = schema.prefixItems
        ? fc.tuple(...schema.prefixItems.map((s) => schemaArb(s, o, fieldName, depth + 1)))
        : null;
      if (item) return item;
      return fc.array(schema.items ? schemaArb(schema.items, o, fieldName, depth + 1) : fc.jsonValue({ maxDepth: 2 }), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    }
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) model[k] = schemaArb(s, o, k, depth + 1);
      return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default:
      // No type: an "unknown" the services validate (the calendar document) or anything at all.
      if (fieldName === 'document') return fc.oneof({ weight: 4, arbitrary: calendarDocArb }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function stringArb(schema: JsonSchema, fieldName: string): fc.Arbitrary<unknown> {
  if (schema.description === 'UUIDv7' || /Ids?$/.test(fieldName)) return pickOf(poolOfField(fieldName));
  if (schema.format === 'date-time') return instantArb;
  if (schema.format === 'date') return dateArb;
  if (schema.format === 'email') return fc.oneof(fc.emailAddress(), fc.constantFrom('desk@clienta.example', 'a@b.co'));
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, 60);
  if (schema.pattern) {
    let re: RegExp | null;
    try {
      re = new RegExp(schema.pattern);
    } catch {
      re = null;
    }
    if (re) return fc.stringMatching(re).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
  }
  if (fieldName === 'url') return fc.oneof(fc.webUrl(), fc.constantFrom('http://127.0.0.1:9/', 'ftp://x', 'javascript:alert(1)'));
  if (fieldName === 'timeZone') return fc.constantFrom('Asia/Tokyo', 'UTC', 'Not/AZone');
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, min, 1) }) },
    { weight: 2, arbitrary: fc.constantFrom('障害: 受注画面が開かない', '  ', 'パスワード リセット 依頼です', 'O\'Brien; DROP TABLE incidents;--', '<script>alert(1)</script>') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(min, 1), maxLength: Math.max(max, min, 1) }) },
  );
}

// ---- mutations ----

export type MutationKind =
  | 'none' | 'wrong_type' | 'unknown_field' | 'huge_string' | 'huge_array' | 'deep' | 'nul' | 'lone_surrogate' | 'extreme_number'
  | 'number_string' | 'extreme_instant' | 'drop_field' | 'null_field' | 'raw' | 'not_utf8';

/** Mutations that a body must be refused for: a 2xx is a silent acceptance. */
export const MUST_REFUSE: ReadonlySet<MutationKind> = new Set(['unknown_field', 'nul', 'lone_surrogate', 'huge_array', 'huge_string', 'deep', 'not_utf8']);

export interface Mutation {
  kind: MutationKind;
  /** Which string/object/array of the body it hits (modulo their count). */
  at: number;
  pick: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.oneof(
    { weight: 6, arbitrary: fc.constant<MutationKind>('none') },
    { weight: 14, arbitrary: fc.constantFrom<MutationKind>('wrong_type', 'unknown_field', 'huge_string', 'huge_array', 'deep', 'nul', 'lone_surrogate', 'extreme_number', 'number_string', 'extreme_instant', 'drop_field', 'null_field', 'raw', 'not_utf8') },
  ),
  at: fc.nat(),
  pick: fc.nat(),
});

const WRONG_VALUES: unknown[] = [1, -1, 0, true, false, null, 'x', '', [], {}, [[]], { a: 1 }, 1.5, '0190a6e0-0000-7000-8000-000000000000'];
const EXTREME_NUMBERS: unknown[] = [1e308, -1e308, -0, 2 ** 53, -(2 ** 53), 2 ** 31, 5e-324, 0.1, -1, 1e21];
const NUMBER_STRINGS: unknown[] = ['NaN', 'Infinity', '-0', '1e308', '12', '0x10', ' 1 '];
/** Raw bodies that are not the JSON of any value, or not UTF-8. */
export const RAW_BODIES: Array<string | Buffer> = [
  Buffer.from([0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), // {"title":"<invalid UTF-8>"}
  Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), // {"name":"<CESU surrogate bytes>"}
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // BOM + {}
  '{"a":', '[1,2', 'null', '"just a string"', '[]', '123', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}',
  '{"title":"\\ud800"}', '{"name":"\\u0000"}', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, '{"title":"x","title":"y"}', '',
];

interface Slot { holder: Record<string, unknown> | unknown[]; key: string | number }

/** Every (holder, key) where a value sits, and the object holders. */
function slots(root: unknown): { values: Slot[]; objects: Record<string, unknown>[] } {
  const values: Slot[] = [];
  const objects: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        values.push({ holder: v, key: i });
        walk(x);
      });
    } else if (v !== null && typeof v === 'object' && !isPick(v)) {
      objects.push(v as Record<string, unknown>);
      for (const [k, x] of Object.entries(v)) {
        values.push({ holder: v as Record<string, unknown>, key: k });
        walk(x);
      }
    }
  };
  walk(root);
  return { values, objects };
}

const setAt = (s: Slot, v: unknown) => {
  (s.holder as Record<string | number, unknown>)[s.key] = v;
};
const getAt = (s: Slot): unknown => (s.holder as Record<string | number, unknown>)[s.key];

/**
 * Applies a mutation in place (to a fresh copy). Returns the body to send, or the
 * raw payload for `raw`, and whether the mutation really landed (a body without a
 * string has nowhere to put a NUL).
 */
export function mutate(body: unknown, m: Mutation): { body: unknown; raw?: string | Buffer; applied: boolean } {
  if (m.kind === 'none') return { body, applied: true };
  if (m.kind === 'raw') return { body, raw: RAW_BODIES[m.pick % RAW_BODIES.length]!, applied: true };
  if (m.kind === 'not_utf8') {
    // Bytes that are not UTF-8 inside the first string value of a body that is otherwise valid:
    // they must be refused, not read with U+FFFD in place of the bytes.
    const text = JSON.stringify(body) ?? '';
    const at = text.search(/:"/);
    if (at < 0) return { body, applied: false };
    const bad = m.pick % 2 ? Buffer.from([0xff, 0xfe, 0xc3, 0x28]) : Buffer.from([0xed, 0xa0, 0x80]);
    return { body, raw: Buffer.concat([Buffer.from(text.slice(0, at + 2)), bad, Buffer.from(text.slice(at + 2))]), applied: true };
  }
  const root: { body: unknown } = { body };
  const { values, objects } = slots(root);
  const bodyValues = values.filter((s) => s.holder !== root);
  const strings = bodyValues.filter((s) => typeof getAt(s) === 'string');
  const choose = <T,>(xs: T[]): T | undefined => (xs.length ? xs[m.at % xs.length] : undefined);
  const any = choose(bodyValues) ?? values[0]!;
  switch (m.kind) {
    case 'wrong_type':
      setAt(any, WRONG_VALUES[m.pick % WRONG_VALUES.length]);
      return { body: root.body, applied: true };
    case 'unknown_field': {
      // Only into objects that describe fields (not the top-level wrapper, not id placeholders).
      const o = choose(objects.filter((x) => x !== root));
      if (!o) return { body: root.body, applied: false };
      o[['unknownField', 'titel', 'isAdmin', '__proto__x'][m.pick % 4]!] = m.pick % 2 ? 'x' : 1;
      return { body: root.body, applied: true };
    }
    case 'huge_string': {
      const s = choose(strings) ?? any;
      setAt(s, 'あ'.repeat(200_000));
      return { body: root.body, applied: true };
    }
    case 'huge_array': {
      const arrays = bodyValues.filter((s) => Array.isArray(getAt(s)));
      const s = choose(arrays);
      if (!s) return { body: root.body, applied: false };
      const a = getAt(s) as unknown[];
      setAt(s, Array.from({ length: 20_000 }, (_, i) => a[i % Math.max(a.length, 1)] ?? 'x'));
      return { body: root.body, applied: true };
    }
    case 'deep': {
      let v: unknown = 'x';
      for (let i = 0; i < 2000; i++) v = m.pick % 2 ? [v] : { a: v };
      setAt(any, v);
      return { body: root.body, applied: true };
    }
    case 'nul':
    case 'lone_surrogate': {
      const s = choose(strings);
      if (!s) return { body: root.body, applied: false };
      const bad = m.kind === 'nul' ? '\u0000' : ['\ud800', '\udfff', '\udc00x'][m.pick % 3]!;
      const old = getAt(s) as string;
      const cut = old.length ? m.pick % (old.length + 1) : 0;
      setAt(s, `${old.slice(0, cut)}${bad}${old.slice(cut)}` || bad);
      return { body: root.body, applied: true };
    }
    case 'extreme_number':
      setAt(any, EXTREME_NUMBERS[m.pick % EXTREME_NUMBERS.length]);
      return { body: root.body, applied: true };
    case 'number_string':
      setAt(any, NUMBER_STRINGS[m.pick % NUMBER_STRINGS.length]);
      return { body: root.body, applied: true };
    case 'extreme_instant': {
      const s = choose(strings) ?? any;
      setAt(s, m.pick % 2 ? EXTREME_INSTANTS[m.pick % EXTREME_INSTANTS.length] : EXTREME_DATES[m.pick % EXTREME_DATES.length]);
      return { body: root.body, applied: true };
    }
    case 'drop_field': {
      if (any.holder === root) return { body: undefined, applied: true };
      if (Array.isArray(any.holder)) any.holder.splice(Number(any.key), 1);
      else delete any.holder[any.key as string];
      return { body: root.body, applied: true };
    }
    case 'null_field':
      setAt(any, null);
      return { body: root.body, applied: true };
  }
}
