/** Names and zones by id, from the lists every role may read. */
import { useMemo } from 'react';
import { useCalendars, useClients, useContacts, useContracts, useSystems, useUsers } from '../../api/hooks.ts';

export const DEFAULT_ZONE = 'Asia/Tokyo';

export function useLookup(staff: boolean) {
  const calendars = useCalendars();
  const contracts = useContracts();
  const clients = useClients();
  const systems = useSystems();
  const contacts = useContacts();
  const users = useUsers(staff);
  return useMemo(() => {
    const byId = <T extends { id: string }>(xs: T[] | undefined) => new Map((xs ?? []).map((x) => [x.id, x]));
    const cal = byId(calendars.data);
    const con = byId(contracts.data);
    const cli = byId(clients.data);
    const sys = byId(systems.data);
    const ppl = byId(contacts.data);
    const usr = byId(users.data);
    return {
      contracts: contracts.data ?? [],
      clients: clients.data ?? [],
      systems: systems.data ?? [],
      contacts: contacts.data ?? [],
      users: users.data ?? [],
      calendars: calendars.data ?? [],
      zone: (calendarId: string | null | undefined) => (calendarId ? cal.get(calendarId)?.document.timeZone : undefined) ?? DEFAULT_ZONE,
      contract: (id: string | null | undefined) => (id ? con.get(id) : undefined),
      client: (id: string | null | undefined) => (id ? cli.get(id) : undefined),
      system: (id: string | null | undefined) => (id ? sys.get(id) : undefined),
      contact: (id: string | null | undefined) => (id ? ppl.get(id) : undefined),
      user: (id: string | null | undefined) => (id ? usr.get(id) : undefined),
      ready: Boolean(calendars.data && contracts.data && clients.data),
    };
  }, [calendars.data, contracts.data, clients.data, systems.data, contacts.data, users.data]);
}
export type Lookup = ReturnType<typeof useLookup>;
