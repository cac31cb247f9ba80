import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { post } from '../../api/client.ts';
import type { User } from '../../api/types.ts';
import { ONE_LINE } from '../../lib/table.ts';
import { RiskNavBadge } from '../risks/RiskNavBadge.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

// Compact rows: an admin's ~20 links and four headings fit a 768 px high screen.
const COMPACT = { root: { paddingBlock: 2 }, label: { fontSize: 'var(--mantine-font-size-sm)', lineHeight: 1.35 } };
const HEADING = { root: { paddingBlock: 2, marginTop: 2 }, label: { lineHeight: 1.35, fontSize: 'var(--mantine-font-size-xs)', fontWeight: 700, color: 'var(--mantine-color-dimmed)' } };

interface NavGroup {
  key: string;
  /** A foldable group's heading; none: the links stand on their own. */
  label?: string;
  links: Array<{ to: string; label: string; right?: ReactNode }>;
}

export function Layout({ user, children }: { user: User; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const admin = user.role === 'admin';
  // Staff see their ~20 screens in four labelled groups (open by default, each foldable), so the
  // navigation fits a 1024 × 768 screen in both languages; a contact's few links stay flat.
  const groups: NavGroup[] = user.role === 'contact'
    ? [{
        key: 'portal',
        links: [
          { to: '/portal', label: t('nav.portal') },
          { to: '/portal/new', label: t('nav.newInquiry') },
          { to: '/portal/reports', label: t('reports.nav') },
          { to: '/portal/changes', label: t('change.nav') },
          { to: '/portal/risks', label: t('risks.navPortal') },
          { to: '/portal/security', label: t('security.nav') },
          { to: '/profile', label: t('adm.nav.profile') },
        ],
      }]
    : [
        {
          key: 'desk', label: t('nav.group.desk'),
          links: [
            { to: '/', label: t('nav.queue') },
            { to: '/dashboard', label: t('dashboard.nav') },
            { to: '/phone', label: t('nav.phone') },
            { to: '/triage', label: t('adm.nav.triage') },
            { to: '/changes', label: t('change.nav') },
          ],
        },
        {
          key: 'contracts', label: t('nav.group.contracts'),
          links: [
            { to: '/clients', label: t('nav.clients') },
            { to: '/contracts', label: t('nav.contracts') },
            { to: '/calendars', label: t('nav.calendars') },
            { to: '/sla-policies', label: t('nav.policies') },
            { to: '/maintenance', label: t('nav.maintenance') },
            { to: '/reports', label: t('reports.nav') },
          ],
        },
        {
          key: 'monitoring', label: t('nav.group.monitoring'),
          links: [
            { to: '/monitoring', label: t('adm.nav.monitoring') },
            { to: '/risks', label: t('risks.nav'), right: <RiskNavBadge /> },
            { to: '/security', label: t('security.nav') },
          ],
        },
        ...(admin ? [{
          key: 'admin', label: t('nav.group.admin'),
          links: [
            { to: '/users', label: t('adm.nav.users') },
            { to: '/audit', label: t('adm.nav.audit') },
            { to: '/webhooks', label: t('webhooks.nav') },
          ],
        }] : []),
        { key: 'me', links: [{ to: '/profile', label: t('adm.nav.profile') }] },
      ];
  const active = (to: string) => (to === '/' || to === '/portal' ? location.pathname === to : location.pathname.startsWith(to));

  const logout = async () => {
    await post('/auth/logout').catch(() => undefined);
    qc.setQueryData(['session'], null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    void navigate('/');
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link"><VisuallyHidden>{t('app.skip')}</VisuallyHidden></a>
      <AppShell.Header>
        {/* Narrower margins and gaps on a phone: at 390 px the sign-out button ran off the screen. */}
        <Group h="100%" px={{ base: 'xs', sm: 'md' }} justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.main')} />
            {/* 保守 Hoshu on one line: at 390 px it broke under itself and doubled the header's height. */}
            <Title order={2} size="h4" style={ONE_LINE}>{t('app.name')}</Title>
            <Text size="sm" c="dimmed" visibleFrom="md">{t('app.tagline')}</Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <Text size="sm" visibleFrom="sm" data-testid="current-user">{user.name}</Text>
            <Button size="xs" variant="default" onClick={() => void logout()}>{t('nav.logout')}</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.main')}>
        <ScrollArea type="auto" offsetScrollbars>
          {groups.map((g) => {
            const items = g.links.map((l) => (
              <NavLink key={l.to} component={Link} to={l.to} label={l.label} active={active(l.to)} onClick={close} styles={COMPACT} {...(l.right ? { rightSection: l.right } : {})} />
            ));
            return g.label
              ? <NavLink key={g.key} component="button" label={g.label} defaultOpened childrenOffset={8} styles={HEADING}>{items}</NavLink>
              : items;
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main">{children}</AppShell.Main>
    </AppShell>
  );
}
