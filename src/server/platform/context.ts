import type { FastifyRequest } from 'fastify';
import type { Db, Tx } from '../../db/pool.js';
import type { Notices } from '../../db/notices.js';
import { withTx } from '../../db/pool.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from './actor.js';
import type { AppendAudit, AuditActor, ReadAudit } from './audit.js';
import type { Config } from './config.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    /**
     * A pool of its own for long-running work (loads, exports, ledger verification), so it never
     * starves requests.
     */
    streams: Db;
    config: Config;
    /**
     * Runs a change and its audit entry in one transaction; if the entry cannot be written, nothing
     * changes.
     */
    audited<T>(
      req: FastifyRequest,
      fn: (tx: Tx) => Promise<T>,
      spec: AuditSpec<NoInfer<T>>,
    ): Promise<T>;
    /**
     * Group commit of read entries: `await app.auditReads.record(entry)` before answering a read of
     * shared data.
     */
    auditReads: ReadAudit;
    /**
     * Announcements from other instances (a channel or API key changed): caches forget what they
     * hold of it.
     */
    notices: Notices;
    /** Runs reads on one connection, without a transaction (see withConnection). */
    read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
    /**
     * The pool `read` runs on, for statements that need no connection of their own between them.
     */
    readPool: Db;
  }
}

export interface AuditSpec<T> {
  action: string;
  targetType: string;
  /** Defaults to the `id` of the result. */
  targetId?: string;
  details?: (result: T) => Record<string, unknown>;
}

/**
 * The signed-in actor of a route that requires one (the access hook has already refused anonymous
 * calls).
 */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return req.actor;
}

function auditActor(actor: Actor | null): AuditActor {
  return actor
    ? { kind: actor.kind, id: actor.id, name: actor.name, orgId: actor.orgId }
    : { kind: 'anonymous', id: null, name: null, orgId: null };
}

/** `app.audited`, writing its entries with `append` (the audit module's, given by the app). */
export function makeAudited(db: Db, append: AppendAudit) {
  return function audited<T>(
    req: FastifyRequest,
    fn: (tx: Tx) => Promise<T>,
    spec: AuditSpec<NoInfer<T>>,
  ): Promise<T> {
    return withTx(db, async (tx) => {
      const result = await fn(tx);
      const id = spec.targetId ?? (result as { id?: unknown } | null)?.id;
      await append(tx, [
        {
          actor: auditActor(req.actor),
          action: spec.action,
          targetType: spec.targetType,
          targetId: id == null ? null : String(id),
          outcome: 'success',
          requestId: req.id,
          clientIp: req.ip,
          details: spec.details?.(result),
        },
      ]);
      return result;
    });
  };
}
