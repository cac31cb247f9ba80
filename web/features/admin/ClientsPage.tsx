/** Clients with their contact people (窓口) and systems; staff add contacts and systems, admins add clients. */
import { Accordion, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CreateClientBody, CreateContactBody, CreateSystemBody, UpdateClientBody, UpdateContactBody, UpdateSystemBody } from '../../../src/contract/desk.ts';
import { useClients, useContacts, useContracts, useSession, useSystems } from '../../api/hooks.ts';
import { EditButton } from './EditButton.tsx';
import { SimpleForm } from './SimpleForm.tsx';

export function ClientsPage() {
  const { t } = useTranslation();
  const clients = useClients();
  const contacts = useContacts();
  const systems = useSystems();
  const contracts = useContracts();
  const session = useSession();
  const isAdmin = session.data?.user.role === 'admin';
  const designated = new Set((contracts.data ?? []).map((c) => c.primaryContactId));
  return (
    <Stack>
      <Title order={1} size="h2">{t('admin.clients')}</Title>
      {isAdmin && (
        <Card withBorder>
          <Text fw={600} size="sm" mb="xs">{t('admin.newClient')}</Text>
          <SimpleForm schema={CreateClientBody} path="/clients" invalidate="clients" submitLabel={t('admin.newClient')}
            fields={[{ name: 'name', label: t('common.name'), required: true }, { name: 'nameKana', label: t('admin.kana') }]} />
        </Card>
      )}
      <Accordion variant="separated" multiple>
        {(clients.data ?? []).map((c) => (
          <Accordion.Item key={c.id} value={c.id}>
            <Accordion.Control>
              <Group gap="xs"><Text fw={600}>{c.name}</Text>{c.nameKana && <Text size="sm" c="dimmed">{c.nameKana}</Text>}</Group>
            </Accordion.Control>
            <Accordion.Panel>
              {isAdmin && (
                <Group gap="xs" mb="xs">
                  {c.notes && <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>{c.notes}</Text>}
                  <EditButton title={t('adm.edit.client', { name: c.name })} path={`/clients/${c.id}`} invalidate="clients" schema={UpdateClientBody} testId={`edit-client-${c.name}`}
                    initial={{ name: c.name, nameKana: c.nameKana, notes: c.notes }}
                    fields={[{ name: 'name', label: t('common.name'), required: true }, { name: 'nameKana', label: t('admin.kana'), nullable: true }, { name: 'notes', label: t('common.notes'), type: 'textarea' }]} />
                </Group>
              )}
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <div>
                  <Title order={3} size="h5">{t('admin.contacts')}</Title>
                  <Table fz="sm">
                    <Table.Tbody>
                      {(contacts.data ?? []).filter((x) => x.clientId === c.id).map((x) => (
                        <Table.Tr key={x.id}>
                          <Table.Td>{x.name} {designated.has(x.id) && <Badge size="xs">{t('admin.primaryContact')}</Badge>}</Table.Td>
                          <Table.Td>{x.email}</Table.Td><Table.Td>{x.phone}</Table.Td>
                          <Table.Td>
                            <EditButton title={t('adm.edit.contact', { name: x.name })} path={`/contacts/${x.id}`} invalidate="contacts" schema={UpdateContactBody}
                              initial={{ name: x.name, email: x.email, phone: x.phone }}
                              fields={[{ name: 'name', label: t('common.name'), required: true }, { name: 'email', label: t('common.email'), type: 'email', nullable: true }, { name: 'phone', label: t('common.phone'), nullable: true }]} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                  <SimpleForm schema={CreateContactBody} path="/contacts" extra={{ clientId: c.id }} invalidate="contacts" submitLabel={t('admin.newContact')}
                    fields={[{ name: 'name', label: t('common.name'), required: true }, { name: 'email', label: t('common.email'), type: 'email' }, { name: 'phone', label: t('common.phone') }]} />
                </div>
                <div>
                  <Title order={3} size="h5">{t('admin.systems')}</Title>
                  <Table fz="sm">
                    <Table.Tbody>
                      {(systems.data ?? []).filter((x) => x.clientId === c.id).map((x) => (
                        <Table.Tr key={x.id}>
                          <Table.Td>{x.name}</Table.Td><Table.Td>{x.description}</Table.Td>
                          <Table.Td>
                            {isAdmin && (
                              <EditButton title={t('adm.edit.system', { name: x.name })} path={`/systems/${x.id}`} invalidate="systems" schema={UpdateSystemBody}
                                initial={{ name: x.name, description: x.description }}
                                fields={[{ name: 'name', label: t('common.name'), required: true }, { name: 'description', label: t('common.description'), type: 'textarea' }]} />
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                  <SimpleForm schema={CreateSystemBody} path="/systems" extra={{ clientId: c.id }} invalidate="systems" submitLabel={t('admin.newSystem')}
                    fields={[{ name: 'name', label: t('common.name'), required: true }, { name: 'description', label: t('common.description') }]} />
                </div>
              </SimpleGrid>
            </Accordion.Panel>
          </Accordion.Item>
        ))}
      </Accordion>
    </Stack>
  );
}
