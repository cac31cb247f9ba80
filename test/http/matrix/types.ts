/**
 * The every-endpoint × every-role table, split by module so each module adds its
 * own rows: a file `test/http/matrix/<module>.cases.ts` exporting
 * `cases(ctx): Case[]` is picked up by test/http/access-matrix.test.ts. A route
 * that no file covers fails the test.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../../src/db/schema.ts';
import type { World } from '../world.ts';

export type Who = 'anonymous' | 'admin' | 'agent' | 'contactA' | 'contactB';
export const WHO: Who[] = ['anonymous', 'admin', 'agent', 'contactA', 'contactB'];
/** Expected status for [anonymous, admin, agent, contactA, contactB]. */
export type Expect = [number, number, number, number, number];

export interface Case {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The route as documented in OpenAPI, e.g. /api/v1/incidents/{id}. */
  route: string;
  expect: Expect;
  /** Builds the concrete URL and body for one caller (make fresh records for writes). */
  prepare?: (who: Who) => Promise<{ url?: string; body?: unknown; headers?: Record<string, string> }>;
  body?: unknown;
  /** Request headers beyond the caller's (a multipart body's content type). */
  headers?: Record<string, string>;
  /** What the answer must (not) show this caller, beyond its status: a failure message, or nothing when right. */
  verify?: (who: Who, res: { statusCode: number; json: () => unknown }) => string | undefined;
}

export type IncidentStatus = 'new' | 'recognized' | 'in_progress' | 'waiting_for_client' | 'resolved' | 'closed';

export interface MatrixContext {
  app: FastifyInstance;
  db: Kysely<DB>;
  w: World;
  /** A fresh incident of client A in the given status. */
  incidentIn(status: IncidentStatus): Promise<{ id: string; number: number }>;
}

export const ALL_SIGNED_IN: Expect = [401, 200, 200, 200, 200];
