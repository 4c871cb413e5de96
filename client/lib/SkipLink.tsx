import { focusMainHeading } from './focusMainHeading.ts';

/**
 * "Skip to main content": the first thing the Tab key reaches, so that keyboard and screen-reader users
 * pass the header's links in one step. It shows only when focused.
 */
export function SkipLink() {
  const skip = (event: MouseEvent) => {
    // Pages have no fixed id on their main element; focusing its heading also makes the screen reader say where it lands.
    if (focusMainHeading()) event.preventDefault();
  };
  return (
    <a class="skip-link" href="#main" onClick={skip}>
      Skip to main content
    </a>
  );
}
