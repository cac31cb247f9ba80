/** Routes by role: staff get the console at /, contacts the portal at /portal. */
import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes, useParams } from 'react-router';
import { useSession } from './api/hooks.ts';
import { CalendarsPage } from './features/admin/CalendarsPage.tsx';
import { ClientsPage } from './features/admin/ClientsPage.tsx';
import { ContractsPage } from './features/admin/ContractsPage.tsx';
import { PoliciesPage } from './features/admin/PoliciesPage.tsx';
import { IncidentPage } from './features/incidents/IncidentPage.tsx';
import { PhoneLogPage } from './features/incidents/PhoneLogPage.tsx';
import { QueuePage } from './features/incidents/QueuePage.tsx';
import { Layout } from './features/layout/Layout.tsx';
import { MaintenancePage } from './features/maintenance/MaintenancePage.tsx';
import { NewInquiryPage } from './features/portal/NewInquiryPage.tsx';
import { PortalHome } from './features/portal/PortalHome.tsx';
import { PortalIncidentPage } from './features/portal/PortalIncidentPage.tsx';
import { PortalReportsPage } from './features/reports/PortalReportsPage.tsx';
import { ReportPage } from './features/reports/ReportPage.tsx';
import { ReportsPage } from './features/reports/ReportsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

function ToPortalIncident() {
  const { id } = useParams();
  return <Navigate to={`/portal/incidents/${id}`} replace />;
}

export function App() {
  const session = useSession();
  if (session.isPending) {
    return <Center h="100vh"><Loader aria-label="loading" /></Center>;
  }
  const user = session.data?.user;
  if (!user) {
    return (
      <Routes>
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  }
  if (user.role === 'contact') {
    return (
      <Layout user={user}>
        <Routes>
          <Route path="/" element={<Navigate to="/portal" replace />} />
          <Route path="/login" element={<Navigate to="/portal" replace />} />
          <Route path="/portal" element={<PortalHome />} />
          <Route path="/portal/new" element={<NewInquiryPage />} />
          <Route path="/portal/incidents/:id" element={<PortalIncidentPage />} />
          <Route path="/portal/reports" element={<PortalReportsPage />} />
          <Route path="/portal/reports/:id" element={<ReportPage />} />
          <Route path="/incidents/:id" element={<ToPortalIncident />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Layout>
    );
  }
  return (
    <Layout user={user}>
      <Routes>
        <Route path="/" element={<QueuePage />} />
        <Route path="/login" element={<Navigate to="/" replace />} />
        <Route path="/phone" element={<PhoneLogPage />} />
        <Route path="/incidents/:id" element={<IncidentPage />} />
        <Route path="/portal/incidents/:id" element={<IncidentRedirect />} />
        <Route path="/clients" element={<ClientsPage />} />
        <Route path="/contracts" element={<ContractsPage />} />
        <Route path="/calendars" element={<CalendarsPage />} />
        <Route path="/sla-policies" element={<PoliciesPage />} />
        <Route path="/maintenance" element={<MaintenancePage />} />
        <Route path="/reports" element={<ReportsPage />} />
        <Route path="/reports/:id" element={<ReportPage />} />
        <Route path="/portal/reports/:id" element={<ReportRedirect />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}

function ReportRedirect() {
  const { id } = useParams();
  return <Navigate to={`/reports/${id}`} replace />;
}

function IncidentRedirect() {
  const { id } = useParams();
  return <Navigate to={`/incidents/${id}`} replace />;
}
