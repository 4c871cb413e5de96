import { Route, Router } from '@solidjs/router';
import { lazy, type Component, type JSX } from 'solid-js';
import { createRouteFocus } from './lib/createRouteFocus.ts';
import { InvitePage } from './routes/invite/InvitePage.tsx';
import { NotFoundPage } from './routes/NotFoundPage.tsx';

/**
 * A page fetched when its route is first opened. The team's screens (and the record view) are split off
 * so that a family opening an invite link on a phone downloads only the invite page and what it needs.
 */
function lazyPage<Name extends string>(load: () => Promise<Record<Name, Component>>, name: Name): Component {
  return lazy(async () => ({ default: (await load())[name] }));
}

const HomePage = lazyPage(() => import('./routes/team/HomePage.tsx'), 'HomePage');
const LoginPage = lazyPage(() => import('./routes/team/LoginPage.tsx'), 'LoginPage');
const SetupPage = lazyPage(() => import('./routes/team/SetupPage.tsx'), 'SetupPage');
const ResetPasswordPage = lazyPage(() => import('./routes/team/ResetPasswordPage.tsx'), 'ResetPasswordPage');
const AccountPage = lazyPage(() => import('./routes/team/AccountPage.tsx'), 'AccountPage');
const TeamAccountsPage = lazyPage(() => import('./routes/team/TeamAccountsPage.tsx'), 'TeamAccountsPage');
const NetworkPage = lazyPage(() => import('./routes/team/NetworkPage.tsx'), 'NetworkPage');
const MeetingRecordPage = lazyPage(() => import('./routes/team/MeetingRecordPage.tsx'), 'MeetingRecordPage');
const TeamJoinPage = lazyPage(() => import('./routes/team/TeamJoinPage.tsx'), 'TeamJoinPage');

/** The app's screens. The meeting room itself is loaded lazily by JoinFlow, after pre-join. */
export function App() {
  return (
    <Router root={Shell}>
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
      <Route path="/i/:token/record/:meetingId" component={InvitePage} />
      <Route path="*" component={NotFoundPage} />
    </Router>
  );
}

/** What every screen shares: focus moved to the new page's heading after a navigation inside the app. */
function Shell(props: { children?: JSX.Element }) {
  createRouteFocus();
  return <>{props.children}</>;
}
