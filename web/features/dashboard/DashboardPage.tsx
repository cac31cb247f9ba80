/** The agent's dashboard (/dashboard): every client's contracts, live. */
import { DashboardView } from './DashboardView.tsx';
import { useLookup } from '../incidents/lookup.ts';

export function DashboardPage() {
  const lk = useLookup(true);
  return <DashboardView lk={lk} portal={false} />;
}
