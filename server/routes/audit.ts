import { Hono } from 'hono';
import { z } from 'zod';
import { RandomId } from '../../shared/api/ids.ts';
import type { Access } from '../services/access.ts';
import type { AuditStore } from '../store/auditStore.ts';
import type { AppEnv } from './env.ts';
import { check } from './validate.ts';

const AuditQuery = z.strictObject({
  networkId: RandomId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** `GET /api/audit`: the audit log, for admins only. */
export function auditRoutes(audit: AuditStore, access: Access): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    access.requireAdmin(c.get('principal'));
    const query = check(AuditQuery, c.req.query());
    return c.json({ entries: await audit.list(query) });
  });
}
