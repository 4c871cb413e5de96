import { Route, Router } from '@solidjs/router';
import { HomePage } from './routes/home/HomePage.tsx';
import { JoinPage } from './routes/join/JoinPage.tsx';
import { NotFoundPage } from './routes/NotFoundPage.tsx';

/** The app's screens. The meeting room itself is loaded lazily by JoinPage, after pre-join. */
export function App() {
  return (
    <Router>
      <Route path="/" component={HomePage} />
      <Route path="/m/:id" component={JoinPage} />
      <Route path="*" component={NotFoundPage} />
    </Router>
  );
}
