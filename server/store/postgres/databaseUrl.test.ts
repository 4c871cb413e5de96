import { describe, expect, it } from 'vitest';
import { DatabaseUrlError, validateDatabaseUrl } from './databaseUrl.ts';

describe('DATABASE_URL', () => {
  it.each([
    'postgres://polyphony:secret@db.example.org:5432/polyphony',
    'postgresql://polyphony@localhost/polyphony?sslmode=require',
    'postgresql://polyphony@localhost/postgres?host=/tmp/polyphony-postgres.abc',
  ])('accepts %s', (url) => {
    expect(validateDatabaseUrl(url)).toBe(url);
  });

  it.each([
    ['not a url', 'it is not a URL'],
    ['mysql://root@localhost/polyphony', 'the scheme is mysql'],
    ['postgres://user:secret@db.example.org', 'it names no database'],
    ['postgres:///polyphony', 'it names no host'],
    ['postgres://user@localhost/polyphony?host=relative/dir', 'not an absolute socket directory'],
    ['postgres://user:secret@db.example.org:0/polyphony', 'port is out of range'],
  ])('refuses %s with one clear error that does not repeat it', (url, reason) => {
    const error = (() => {
      try {
        validateDatabaseUrl(url);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DatabaseUrlError);
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).not.toContain('secret');
  });
});
