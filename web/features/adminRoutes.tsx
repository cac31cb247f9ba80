/** The admin screens' routes (issue 17), kept here so App.tsx gains two lines only. */
import { Route } from 'react-router';
import { ContractEditPage } from './admin/ContractEditPage.tsx';
import { AuditPage } from './audit/AuditPage.tsx';
import { MonitoringPage } from './monitoring/MonitoringPage.tsx';
import { TriagePage } from './triage/TriagePage.tsx';
import { ProfilePage } from './users/ProfilePage.tsx';
import { UsersPage } from './users/UsersPage.tsx';

export const ProfileRoute = <Route path="/profile" element={<ProfilePage />} />;

export const AdminRoutes = (
  <>
    <Route path="/contracts/:id/edit" element={<ContractEditPage />} />
    <Route path="/monitoring" element={<MonitoringPage />} />
    <Route path="/triage" element={<TriagePage />} />
    <Route path="/users" element={<UsersPage />} />
    <Route path="/audit" element={<AuditPage />} />
    {ProfileRoute}
  </>
);
