import type { Tx } from '../../db/pool.js';
import type { PoolResource, PublishHook } from './catalog.types.js';

const hooks = new Set<PublishHook>();

/**
 * Registers a function run inside the publish transaction of every entry (and of every later
 * re-publish of a new version). A hook that throws rolls the publishing back. Returns an unregister
 * function.
 */
export function registerPublishHook(fn: PublishHook): () => void {
  hooks.add(fn);
  return () => hooks.delete(fn);
}

/** Runs every registered hook, in registration order. */
export async function runPublishHooks(tx: Tx, resource: PoolResource): Promise<void> {
  for (const hook of hooks) await hook(tx, resource);
}
