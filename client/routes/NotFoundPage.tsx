import { A } from '@solidjs/router';

export function NotFoundPage() {
  return (
    <main class="page narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address. If someone sent you a link, please check it with them.</p>
      <p>
        <A href="/">Go to the start page</A>
      </p>
    </main>
  );
}
