import { describe, expect, it } from 'vitest';
import { majorOf, parseToolVersion, toolProblem, versionFromNum } from './pgToolVersion.ts';
import { complaint } from './runPgTool.ts';

const env = { PATH: '/usr/bin' };
const server15 = { version: '15.18', of: 'the PostgreSQL server' };

describe('PostgreSQL client versions', () => {
  it('reads the version pg_dump and pg_restore print, old and new numbering', () => {
    expect(parseToolVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n')).toBe('15.18');
    expect(parseToolVersion('pg_restore (PostgreSQL) 17.2\n')).toBe('17.2');
    expect(parseToolVersion('pg_dump (PostgreSQL) 9.6.24\n')).toBe('9.6.24');
    expect(parseToolVersion('command not found')).toBeUndefined();
    expect([majorOf('15.18'), majorOf('9.6.24'), majorOf('10.0')]).toEqual([15, 9.6, 10]);
    expect([versionFromNum(150018), versionFromNum(170002), versionFromNum(90624)]).toEqual(['15.18', '17.2', '9.6.24']);
  });

  it('accepts a tool as new as the server or newer, and refuses an older or missing one with the fix', () => {
    expect(toolProblem('pg_dump', '15.2', server15, env)).toBeUndefined();
    expect(toolProblem('pg_dump', '16.1', server15, env)).toBeUndefined();
    expect(toolProblem('pg_dump', '14.9', server15, env)).toEqual({
      what: 'pg_dump 14.9 is older than the PostgreSQL server (15.18) and may not read all of it',
      fix: expect.stringContaining('apt-get install postgresql-client-15') as unknown,
    });
    expect(toolProblem('pg_dump', '9.6.24', { version: '10.1', of: 'the PostgreSQL server' }, env)?.what).toMatch(/older/);
    expect(toolProblem('pg_restore', undefined, server15, { PG_BIN: '/opt/pg/bin' })).toEqual({ what: '/opt/pg/bin/pg_restore was not found', fix: expect.stringContaining('PG_BIN') as unknown });
  });

  it("keeps a failed tool's error lines and leaves out the statement and the rows it was working on", () => {
    const stderr = [
      'pg_restore: error: could not execute query: ERROR:  permission denied for schema public',
      'LINE 1: CREATE TABLE public.users (',
      'Command was: CREATE TABLE public.users (',
      '    email text NOT NULL',
      ');',
      'pg_restore: error: COPY failed for table "users": ERROR:  duplicate key value violates unique constraint "users_email_key"',
      'DETAIL:  Key (email)=(jo@family.org) already exists.',
      'CONTEXT:  COPY users, line 1: "u1	jo@family.org	Jo Quill"',
    ].join('\n');
    const said = complaint(stderr);
    expect(said).toContain('permission denied for schema public');
    expect(said).toContain('duplicate key value');
    expect(said).not.toContain('Jo Quill');
    expect(said).not.toContain('jo@family.org');
    expect(said).not.toContain('email text');
  });
});
