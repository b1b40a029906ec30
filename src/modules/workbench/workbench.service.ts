import type { Tx } from '../../db/pool.js';
import type { Actor } from '../../server/platform/actor.js';

/** One line of "what waits for me" on the home page. */
export interface Task {
  kind: string;
  title: { zh: string; en: string };
  count: number;
  /** Portal path that shows the items. */
  link: string;
}

/** A module's contribution to the home page: the tasks waiting for this actor (empty when none). */
export type TaskSource = (tx: Tx, actor: Actor) => Promise<Task[]>;

const sources = new Set<TaskSource>();

/**
 * Modules register their sources once, at start; the same function registered twice counts once.
 */
export function registerTaskSource(source: TaskSource): void {
  sources.add(source);
}

/** Every registered source's tasks for the actor, non-empty ones only. */
export async function tasksFor(tx: Tx, actor: Actor): Promise<Task[]> {
  const all: Task[] = [];
  for (const source of sources) all.push(...(await source(tx, actor)));
  return all.filter((t) => t.count > 0);
}
