/**
 * /incidents — list with filters, detail, create (phone / web / api), "an agent
 * opened it" (the only way reading an incident recognizes it: a GET never writes),
 * lifecycle commands, priority and scope changes, assignment, messages and notes, and the
 * explanation of a deadline. Every answer carries the SLA targets (dueAt, state,
 * metAt), the paused intervals and the policy version.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IdParams, instantsIn } from '../../contract/common.ts';
import {
  AssignBody, CreateIncidentBody, DeadlineExplanation, encodeIncidentCursor, IncidentDetail, IncidentList, IncidentQuery, MessageBody,
  NumberParams, OptionalReasonBody, PriorityBody, ProposeBody, ReasonBody, ResolveBody, ScopeBody, TargetParams, UpdateIncidentBody,
} from '../../contract/incidents.ts';
import { actorOf, channelFor } from '../../http/actor.ts';
import { requestLocale } from '../../http/locale.ts';
import type { Api } from '../../http/types.ts';
import { COMMANDS, LIFECYCLE, type Command, type CommandInput, type CommandRule } from '../../contract/incident-lifecycle.ts';
import type { IncidentService } from './incident.service.ts';
import { presentExplanation, presentIncident, presentIncidentDetail } from './incident.presenter.ts';
import { listJson } from './incident.list-items.ts';

const tags = ['incidents'];

/** The OpenAPI summary of each lifecycle command's route (a command without one does not compile). */
const SUMMARIES: Record<Command, string> = {
  recognize: 'The desk has read it: SLA clocks start now (staff)',
  start: 'Start of work (着手) (staff)',
  resume: 'Resume work after waiting for the client (staff)',
  wait: 'Wait for the client: pauses the resolution clock (staff)',
  propose: 'A solution was proposed (解決策提示) (staff)',
  resolve: 'Resolve with cause, fix and course of events (解決後経緯の説明), which the client sees (staff)',
  close: 'Close a resolved incident (staff)',
  reopen: 'Reopen a resolved or closed incident (staff)',
};

/** The command's input from its validated body (the schema chosen by its rule). */
function commandInput(rule: CommandRule, body: unknown): CommandInput {
  const b = (body ?? {}) as Partial<Record<'reason' | 'message' | 'cause' | 'fix' | 'courseOfEvents', string>>;
  const text = rule.text ? b[rule.text.field] : undefined;
  return {
    ...(text ? { reason: text } : {}),
    ...(rule.resolution ? { resolution: { cause: b.cause ?? '', fix: b.fix ?? '', course: b.courseOfEvents ?? '' } } : {}),
  };
}

/** `checkResponses` (tests): every list answer from the stored items is also made the old way and must be the same bytes. */
export function registerIncidentRoutes(app: Api, incidents: IncidentService, o: { checkResponses?: boolean } = {}): void {
  /** The query as the queue's page filter (a legacy `before` is the number sort's cursor). */
  const pageFilter = (q: z.infer<typeof IncidentQuery>) => {
    const after = q.cursor ?? (q.before !== undefined && q.sort === 'number' ? { sort: 'number' as const, key: q.before, number: q.before } : undefined);
    return {
      ...(q.status ? { status: q.status } : {}),
      ...(q.priority ? { priority: q.priority } : {}),
      ...(q.open ? { open: q.open === 'true' } : {}),
      ...(q.contractId ? { contractId: q.contractId } : {}),
      ...(q.clientId ? { clientId: q.clientId } : {}),
      ...(q.assigneeId ? { assigneeId: q.assigneeId } : {}),
      ...(q.systemId ? { systemId: q.systemId } : {}),
      ...(q.channel?.length ? { channel: q.channel } : {}),
      ...(q.category?.length ? { category: q.category } : {}),
      ...(q.sla?.length ? { sla: q.sla } : {}),
      ...(q.scope ? { inScope: q.scope === 'in' } : {}),
      ...(q.q ? { q: q.q } : {}),
      sort: q.sort,
      ...(after ? { after } : {}),
      limit: q.limit,
    };
  };
  const csvOf = async (req: FastifyRequest, q: z.infer<typeof IncidentQuery>): Promise<Buffer> => {
    const { limit: _limit, after: _after, ...filter } = pageFilter(q);
    return Buffer.from(await incidents.queueCsv(actorOf(req), filter, requestLocale(req)), 'utf8');
  };
  const CSV_TYPE = 'text/csv; charset=utf-8';
  const CSV_DISPOSITION = 'attachment; filename="incidents.csv"';

  app.get('/incidents', {
    schema: {
      tags, summary: 'The queue: filters, search (q), sort and cursor paging, with SLA targets (a contact sees only their client\'s)',
      querystring: IncidentQuery, response: { 200: IncidentList },
    },
  }, async (req, reply) => {
    const q = req.query;
    // The typed reply expects the object; CSV and the cached JSON are bytes already (Fastify sends bytes as they are).
    if (q.format === 'csv') {
      const csv = await csvOf(req, q);
      return reply.type(CSV_TYPE).header('content-disposition', CSV_DISPOSITION).send(csv as unknown as z.infer<typeof IncidentList>);
    }
    // Serialized and encoded once per distinct answer: the cached bytes are what goes out.
    const filter = pageFilter(q);
    // From the stored items a miss joins their JSON (the same bytes JSON.stringify gives: test/services/incident-list-items.test.ts).
    const presented = () => incidents.pageRendered(actorOf(req), filter, 'http-v1', ({ items, nextCursor }) => {
      const last = items.at(-1);
      return Buffer.from(reply.serialize({
        items: items.map(presentIncident),
        nextCursor: nextCursor ? encodeIncidentCursor(nextCursor) : null,
        nextBefore: nextCursor && q.sort === 'number' && last ? last.number : null,
      }) as string);
    });
    if (!incidents.storedListItems) return reply.type('application/json; charset=utf-8').send(await presented() as unknown as z.infer<typeof IncidentList>);
    const body = await incidents.pageRenderedStored(actorOf(req), filter, 'http-v1', (items, nextCursor, lastNumber) =>
      Buffer.from(listJson(items, nextCursor ? encodeIncidentCursor(nextCursor) : null, nextCursor && q.sort === 'number' && lastNumber !== null ? lastNumber : null)));
    if (o.checkResponses) {
      const expected = await presented();
      if (!expected.equals(body)) throw new Error(`GET /incidents: the stored items' answer differs from the presenter's\n${body.toString()}\n${expected.toString()}`);
    }
    // The typed reply expects the object; this is that object already serialized (Fastify sends bytes as they are).
    return reply.type('application/json; charset=utf-8').send(body as unknown as z.infer<typeof IncidentList>);
  });

  app.get('/incidents.csv', {
    schema: {
      tags, summary: 'The filtered queue as CSV: every incident the same filters, search and sort select (UTF-8 with a BOM, RFC 4180, CRLF; headers in the request\'s language)',
      querystring: IncidentQuery, response: { 200: z.string().describe('text/csv') },
    },
  }, async (req, reply) => {
    const csv = await csvOf(req, req.query);
    return reply.type(CSV_TYPE).header('content-disposition', CSV_DISPOSITION).send(csv as unknown as string);
  });

  app.post('/incidents', {
    schema: {
      tags, summary: 'File an incident or inquiry (staff: any channel incl. phone; contacts: web/api for their own contracts)',
      body: CreateIncidentBody, response: { 201: IncidentDetail },
    },
  }, async (req, reply) => {
    // The body as it is; only the channel is the caller's (a token: api, a session: web).
    const created = await incidents.create(actorOf(req), { ...instantsIn(req.body, 'receivedAt'), channel: channelFor(req.auth!, req.body.channel) });
    return reply.status(201).send(presentIncidentDetail(created));
  });

  app.get('/incidents/:id', {
    schema: { tags, summary: 'One incident with its timeline (contacts do not see internal notes)', params: IdParams, response: { 200: IncidentDetail } },
  }, async (req) => presentIncidentDetail(await incidents.get(actorOf(req), req.params.id)));

  app.get('/incidents/by-number/:number', {
    schema: { tags, summary: 'One incident by its number', params: NumberParams, response: { 200: IncidentDetail } },
  }, async (req) => presentIncidentDetail(await incidents.getByNumber(actorOf(req), req.params.number)));

  app.patch('/incidents/:id', {
    schema: { tags, summary: 'Edit title, description, category or system (staff)', params: IdParams, body: UpdateIncidentBody, response: { 200: IncidentDetail } },
  }, async (req) => presentIncidentDetail(await incidents.update(actorOf(req), req.params.id, req.body)));

  // ---- lifecycle ----

  app.post('/incidents/:id/open', {
    schema: {
      tags, summary: 'An agent opens the incident: a new one is recognized now, whatever its channel (SLA clocks start; idempotent). A contact\'s call changes nothing and answers as GET does',
      params: IdParams, response: { 200: IncidentDetail },
    },
  }, async (req) => presentIncidentDetail(await incidents.open(actorOf(req), req.params.id)));

  // One route per command of the lifecycle table; its rule says which body the command takes.
  for (const command of COMMANDS) {
    const rule = LIFECYCLE[command];
    const body = rule.resolution ? ResolveBody
      : rule.text === null ? null
        : rule.text.field === 'message' ? ProposeBody
          : rule.text.required ? ReasonBody : OptionalReasonBody;
    app.post(`/incidents/:id/${command}`, {
      schema: { tags, summary: SUMMARIES[command], params: IdParams, ...(body ? { body } : {}), response: { 200: IncidentDetail } },
    }, async (req) => presentIncidentDetail(await incidents.command(actorOf(req), req.params.id, command, commandInput(rule, req.body))));
  }

  // ---- changes ----

  app.post('/incidents/:id/priority', {
    schema: { tags, summary: 'Change priority with a reason; deadlines are re-derived from the same clock start (staff)', params: IdParams, body: PriorityBody, response: { 200: IncidentDetail } },
  }, async (req) => presentIncidentDetail(await incidents.changePriority(actorOf(req), req.params.id, req.body)));

  app.post('/incidents/:id/scope', {
    schema: { tags, summary: 'In or out of scope (out of scope: excluded from SLA attainment, may be billable) (staff)', params: IdParams, body: ScopeBody, response: { 200: IncidentDetail } },
  }, async (req) => presentIncidentDetail(await incidents.changeScope(actorOf(req), req.params.id, req.body)));

  app.post('/incidents/:id/assign', {
    schema: { tags, summary: 'Assign to a vendor user, or unassign with null (staff)', params: IdParams, body: AssignBody, response: { 200: IncidentDetail } },
  }, async (req) => presentIncidentDetail(await incidents.assign(actorOf(req), req.params.id, req.body.assigneeId)));

  app.post('/incidents/:id/messages', {
    schema: {
      tags, summary: 'Add a message (public) or an internal note (staff); a contact\'s reply resumes a clock paused for them',
      params: IdParams, body: MessageBody, response: { 201: IncidentDetail },
    },
  }, async (req, reply) => reply.status(201).send(presentIncidentDetail(
    await incidents.addComment(actorOf(req), req.params.id, { body: req.body.body, internal: req.body.visibility === 'internal' }),
  )));

  app.get('/incidents/:id/targets/:kind/explanation', {
    schema: { tags, summary: 'Why a deadline is when it is: the calendar intervals counted', params: TargetParams, response: { 200: DeadlineExplanation } },
  }, async (req) => presentExplanation(await incidents.explain(actorOf(req), req.params.id, req.params.kind)));
}

