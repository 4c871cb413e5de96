import { Hono } from 'hono';
import { RandomId } from '../../shared/api/ids.ts';
import { ListNotesVersionsQuery } from '../../shared/api/notesHistory.ts';
import type { NotesHistoryService } from '../record/notesHistory.ts';
import type { AppEnv } from './env.ts';
import { check } from './validate.ts';

/**
 * `/api/meetings/:id/notes/...`: the history of a meeting's notes (list, one version, the check before a
 * restore, the notes as last written). Thin: validate, call the service, answer.
 */
export function notesHistoryRoutes(history: NotesHistoryService): Hono<AppEnv> {
  const id = (value: string | undefined) => check(RandomId, value);
  return new Hono<AppEnv>()
    .get('/:id/notes/versions', async (c) => c.json(await history.list(c.get('principal'), id(c.req.param('id')), check(ListNotesVersionsQuery, c.req.query()))))
    .get('/:id/notes/versions/:versionId', async (c) => c.json(await history.get(c.get('principal'), id(c.req.param('id')), id(c.req.param('versionId')))))
    .post('/:id/notes/versions/:versionId/restore', async (c) => c.json(await history.restore(c.get('principal'), id(c.req.param('id')), id(c.req.param('versionId')))))
    .get('/:id/notes/last-written', async (c) => c.json(await history.lastWritten(c.get('principal'), id(c.req.param('id')))));
}
