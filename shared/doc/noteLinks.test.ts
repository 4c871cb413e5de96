import { describe, expect, it } from 'vitest';
import { safeLinkHref } from './noteLinks.ts';

describe('links in the notes (finding: notes accepted javascript: links)', () => {
  it.each([
    ['https://example.org/a?b=c', 'https://example.org/a?b=c'],
    ['http://example.org', 'http://example.org/'],
    ['mailto:sam@example.org', 'mailto:sam@example.org'],
    ['tel:+358401234567', 'tel:+358401234567'],
    ['HTTPS://Example.org', 'https://example.org/'],
  ])('keeps a web, email or phone link: %s', (href, shown) => {
    expect(safeLinkHref(href)).toBe(shown);
  });

  it.each([
    ['javascript:alert(1)'],
    ['JavaScript:alert(1)'],
    [' javascript:alert(1)'],
    ['java\tscript:alert(1)'],
    ['\u0001javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox(1)'],
    ['file:///etc/passwd'],
    ['/api/audit'],
    ['//evil.example/x'],
    ['#top'],
    [''],
    [null],
    [42],
    [{ href: 'https://example.org' }],
    [`https://example.org/${'a'.repeat(3000)}`],
  ])('refuses anything else, which is then shown as plain text: %j', (href) => {
    expect(safeLinkHref(href)).toBeUndefined();
  });
});
