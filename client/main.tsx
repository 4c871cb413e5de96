import './styles.css';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { relayOnlyRequested } from './meeting/video/iceDiagnostics.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Read before the router drops the query string (the diagnosis setting `?ice=relay` is kept for the tab).
relayOnlyRequested();
render(() => <App />, root);
