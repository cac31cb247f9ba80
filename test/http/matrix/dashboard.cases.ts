/** Rows for the live dashboard (issue 12): everyone signed in reads it; a contact only with their own contracts in it. */
import { ALL_SIGNED_IN, type Case, type MatrixContext } from './types.ts';

export function cases(ctx: MatrixContext): Case[] {
  const { w } = ctx;
  return [
    { method: 'GET', route: '/api/v1/dashboard', expect: ALL_SIGNED_IN },
    { method: 'GET', route: '/api/v1/dashboard', expect: [401, 200, 200, 200, 404], prepare: async () => ({ url: `/api/v1/dashboard?contractId=${w.a.contractId}` }) },
  ];
}
