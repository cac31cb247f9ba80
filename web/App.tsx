/** Routes by role: staff get the console at /, contacts the portal at /portal. */
import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { useSession } from './api/hooks.ts';
import { CalendarsPage } from './features/admin/CalendarsPage.tsx';
import { ClientsPage } from './features/admin/ClientsPage.tsx';
import { ContractsPage } from './features/admin/ContractsPage.tsx';
import { PoliciesPage } from './features/admin/PoliciesPage.tsx';
import { AdminRoutes, ProfileRoute } from './features/adminRoutes.tsx';
import { ForcedPasswordChange, ResetPasswordPage } from './features/users/PasswordPages.tsx';
import { IncidentPage } from './features/incidents/IncidentPage.tsx';
import { PhoneLogPage } from './features/incidents/PhoneLogPage.tsx';
import { QueuePage } from './features/incidents/QueuePage.tsx';
import { ChangeDetailPage } from './features/change-requests/ChangeDetailPage.tsx';
import { ChangeListPage } from './features/change-requests/ChangeListPage.tsx';
import { PortalChangePage, PortalNewChangePage } from './features/change-requests/PortalChangePage.tsx';
import { DashboardPage } from './features/dashboard/DashboardPage.tsx';
import { Layout } from './features/layout/Layout.tsx';
import { MaintenancePage } from './features/maintenance/MaintenancePage.tsx';
import { NewInquiryPage } from './features/portal/NewInquiryPage.tsx';
import { PortalHome } from './features/portal/PortalHome.tsx';
import { PortalIncidentPage } from './features/portal/PortalIncidentPage.tsx';
import { PortalRiskPage } from './features/risks/PortalRiskPage.tsx';
import { PortalRisksPage } from './features/risks/PortalRisksPage.tsx';
import { RiskCriteriaPage } from './features/risks/RiskCriteriaPage.tsx';
import { RiskPage } from './features/risks/RiskPage.tsx';
import { RisksPage } from './features/risks/RisksPage.tsx';
import { PortalSecurityPage } from './features/security/PortalSecurityPage.tsx';
import { SecurityIncidentPage } from './features/security/SecurityIncidentPage.tsx';
import { SecurityListPage } from './features/security/SecurityListPage.tsx';
import { SlaDocumentPage } from './features/sla-document/SlaDocumentPage.tsx';
import { WebhooksPage } from './features/webhooks/WebhooksPage.tsx';
import { PortalReportsPage } from './features/reports/PortalReportsPage.tsx';
import { ReportPage } from './features/reports/ReportPage.tsx';
import { ReportsPage } from './features/reports/ReportsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

function ToPortalIncident() {
  const { id } = useParams();
  return <Navigate to={`/portal/incidents/${id}`} replace />;
}

/** A console link to a record (e.g. from the monthly report) opens the portal's page of it for a contact. */
function ToPortal({ area }: { area: 'changes' | 'risks' | 'security' }) {
  const { id } = useParams();
  return <Navigate to={`/portal/${area}/${id}`} replace />;
}

export function App() {
  const session = useSession();
  const location = useLocation();
  // A reset link works whoever is signed in on this browser (or nobody).
  if (location.pathname.startsWith('/reset/')) {
    return <Routes><Route path="/reset/:token" element={<ResetPasswordPage />} /></Routes>;
  }
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
  if (user.mustChangePassword) return <ForcedPasswordChange user={user} />;
  if (user.role === 'contact') {
    return (
      <Layout user={user}>
        <Routes>
          <Route path="/" element={<Navigate to="/portal" replace />} />
          <Route path="/login" element={<Navigate to="/portal" replace />} />
          <Route path="/portal" element={<PortalHome />} />
          <Route path="/portal/new" element={<NewInquiryPage />} />
          <Route path="/portal/incidents/:id" element={<PortalIncidentPage />} />
          <Route path="/portal/changes" element={<ChangeListPage portal />} />
          <Route path="/portal/changes/new" element={<PortalNewChangePage />} />
          <Route path="/portal/changes/:id" element={<PortalChangePage />} />
          <Route path="/portal/risks" element={<PortalRisksPage />} />
          <Route path="/portal/risks/:id" element={<PortalRiskPage />} />
          <Route path="/portal/security" element={<SecurityListPage portal />} />
          <Route path="/portal/security/:id" element={<PortalSecurityPage />} />
          <Route path="/portal/contracts/:id/sla-document" element={<SlaDocumentPage portal />} />
          <Route path="/portal/reports" element={<PortalReportsPage />} />
          <Route path="/portal/reports/:id" element={<ReportPage />} />
          <Route path="/incidents/:id" element={<ToPortalIncident />} />
          <Route path="/changes/:id" element={<ToPortal area="changes" />} />
          <Route path="/risks/:id" element={<ToPortal area="risks" />} />
          <Route path="/security/:id" element={<ToPortal area="security" />} />
          {ProfileRoute}
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
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/contracts/:id/sla-document" element={<SlaDocumentPage portal={false} />} />
        <Route path="/phone" element={<PhoneLogPage />} />
        <Route path="/incidents/:id" element={<IncidentPage />} />
        <Route path="/portal/incidents/:id" element={<IncidentRedirect />} />
        <Route path="/clients" element={<ClientsPage />} />
        <Route path="/contracts" element={<ContractsPage />} />
        <Route path="/calendars" element={<CalendarsPage />} />
        <Route path="/sla-policies" element={<PoliciesPage />} />
        <Route path="/maintenance" element={<MaintenancePage />} />
        <Route path="/changes" element={<ChangeListPage />} />
        <Route path="/changes/new" element={<PortalNewChangePage base="/changes" />} />
        <Route path="/changes/:id" element={<ChangeDetailPage />} />
        <Route path="/risks" element={<RisksPage />} />
        <Route path="/risks/:id" element={<RiskPage />} />
        <Route path="/risk-criteria" element={<RiskCriteriaPage />} />
        <Route path="/security" element={<SecurityListPage />} />
        <Route path="/security/:id" element={<SecurityIncidentPage />} />
        {user.role === 'admin' && <Route path="/webhooks" element={<WebhooksPage />} />}
        {AdminRoutes}
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
