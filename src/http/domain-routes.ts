/** Registers the domain modules' routes under /api/v1. */
import type { Api, AppDeps, HttpConfig } from './types.ts';

export interface DomainRouteDeps {
  db: AppDeps['db'];
  clock: () => number;
  config: HttpConfig;
}

export function registerDomainRoutes(_app: Api, _deps: DomainRouteDeps): void {
  // filled in as the domain services land
}
