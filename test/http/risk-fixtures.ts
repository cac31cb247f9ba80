/** A risk of client A for tests (POST /risks body); `more` overrides fields. */
import type { World } from './world.ts';

export function riskBody(w: World, more: Record<string, unknown> = {}) {
  return {
    contractId: w.a.contractId, title: 'バックアップ未取得のまま本番運用', description: '夜間バックアップが失敗し続けている',
    affectedSystemIds: [w.a.systemId], category: 'data', source: 'vendor', ownerId: w.agent.userId,
    inherent: { likelihood: 3, impact: 4 }, ...more,
  };
}
