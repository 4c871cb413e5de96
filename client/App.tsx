import { Route, Router } from '@solidjs/router';
import { HomePage } from './routes/team/HomePage.tsx';
import { LoginPage } from './routes/team/LoginPage.tsx';
import { SetupPage } from './routes/team/SetupPage.tsx';
import { AccountPage } from './routes/team/AccountPage.tsx';
import { ResetPasswordPage } from './routes/team/ResetPasswordPage.tsx';
import { TeamAccountsPage } from './routes/team/TeamAccountsPage.tsx';
import { NetworkPage } from './routes/team/NetworkPage.tsx';
import { MeetingRecordPage } from './routes/team/MeetingRecordPage.tsx';
import { TeamJoinPage } from './routes/team/TeamJoinPage.tsx';
import { InvitePage } from './routes/invite/InvitePage.tsx';
import { NotFoundPage } from './routes/NotFoundPage.tsx';

/** The app's screens. The meeting room itself is loaded lazily by JoinFlow, after pre-join. */
export function App() {
  return (
    <Router>
      <Route path="/" component={HomePage} />
      <Route path="/login" component={LoginPage} />
      <Route path="/setup" component={SetupPage} />
      <Route path="/reset-password" component={ResetPasswordPage} />
      <Route path="/account" component={AccountPage} />
      <Route path="/team-accounts" component={TeamAccountsPage} />
      <Route path="/networks/:id" component={NetworkPage} />
      <Route path="/networks/:id/meetings/:meetingId" component={MeetingRecordPage} />
      <Route path="/meetings/:id" component={TeamJoinPage} />
      <Route path="/i/:token" component={InvitePage} />
      <Route path="*" component={NotFoundPage} />
    </Router>
  );
}
