/**
 * The API's shapes, inferred from the zod schemas in src/contract (one schema per
 * shape: the server validates with it, the web app types and checks forms with it).
 */
import type { z } from 'zod';
import type { Session as SessionSchema, User as UserSchema } from '../../src/contract/auth.ts';
import type {
  Calendar as CalendarSchema, Client as ClientSchema, Contact as ContactSchema, Contract as ContractSchema,
  SlaPolicy as SlaPolicySchema, SlaPolicyVersion as SlaPolicyVersionSchema, System as SystemSchema,
} from '../../src/contract/desk.ts';
import type {
  CreateIncidentBody as CreateIncidentBodySchema, DeadlineExplanation as DeadlineExplanationSchema,
  Incident as IncidentSchema, IncidentDetail as IncidentDetailSchema, IncidentList as IncidentListSchema,
  IncidentTarget as IncidentTargetSchema, TimelineEntry as TimelineEntrySchema,
} from '../../src/contract/incidents.ts';

import type {
  DeskInfo as DeskInfoSchema, IncidentMail as IncidentMailSchema, IncidentOutboundMail as IncidentOutboundMailSchema, MailDelivery as MailDeliverySchema,
  MailReplyResult as MailReplyResultSchema,
} from '../../src/contract/mail.ts';

export type Session = z.infer<typeof SessionSchema>;
export type User = z.infer<typeof UserSchema>;
export type Role = User['role'];
export type Client = z.infer<typeof ClientSchema>;
export type Contact = z.infer<typeof ContactSchema>;
export type System = z.infer<typeof SystemSchema>;
export type Contract = z.infer<typeof ContractSchema>;
export type Calendar = z.infer<typeof CalendarSchema>;
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;
export type SlaPolicyVersion = z.infer<typeof SlaPolicyVersionSchema>;
export type Incident = z.infer<typeof IncidentSchema>;
export type IncidentDetail = z.infer<typeof IncidentDetailSchema>;
export type IncidentList = z.infer<typeof IncidentListSchema>;
export type IncidentTarget = z.infer<typeof IncidentTargetSchema>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export type DeadlineExplanation = z.infer<typeof DeadlineExplanationSchema>;
export type CreateIncidentBody = z.input<typeof CreateIncidentBodySchema>;
export type Status = Incident['status'];
export type Priority = Incident['priority'];
export type Channel = Incident['channel'];
export type Category = Incident['category'];
export type SlaState = IncidentTarget['state'];
export type TargetKind = IncidentTarget['kind'];

export interface Page<T> {
  items: T[];
  total?: number;
}
export type IncidentMail = z.infer<typeof IncidentMailSchema>;
export type MailReplyResult = z.infer<typeof MailReplyResultSchema>;
export type MailDelivery = z.infer<typeof MailDeliverySchema>;
export type IncidentOutboundMail = z.infer<typeof IncidentOutboundMailSchema>;
export type DeskInfo = z.infer<typeof DeskInfoSchema>;
