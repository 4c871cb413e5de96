import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { PostgresCluster } from './postgresCluster.ts';

const run = promisify(execFile);

/**
 * Leaves the disk with nothing of earlier steps to write before a measured step starts: the kernel's dirty
 * pages (sync) and PostgreSQL's dirty buffers (CHECKPOINT). Otherwise the write-back of what one server
 * wrote lands in whichever server's step comes next: a PostgreSQL checkpoint flushing the whole document
 * states Hocuspocus on PostgreSQL wrote, or the kernel writing back a SQLite server's checkpointed pages,
 * stalls the fsyncs of every server on this disk for tens of milliseconds. A CHECKPOINT also restarts
 * PostgreSQL's checkpoint timer (5 minutes), so no timed checkpoint falls inside a step of a few seconds.
 * Every server gets the same, before every step.
 */
export async function settleDisk(postgres: PostgresCluster | undefined): Promise<void> {
  await run('sync');
  await postgres?.checkpoint();
}
