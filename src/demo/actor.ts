/** Demo users as actors, for the demo seeders that act through the services as people would. */
import type { Tx } from '../db/pool.js';
import { identityRepository as idRepo, type Actor } from '../modules/identity/index.js';

/** The demo user `username` as an actor, or undefined when there is no such user. */
export async function findDemoActor(tx: Tx, username: string): Promise<Actor | undefined> {
  const u = await idRepo.getUserByUsername(tx, username);
  if (!u) return undefined;
  return {
    kind: 'user',
    id: u.id,
    name: u.username,
    displayName: u.display_name,
    orgId: u.org_id,
    orgName: u.org_name,
    roles: u.roles,
  };
}

/** The demo user `username` as an actor; throws when the user is missing. */
export async function demoActor(tx: Tx, username: string): Promise<Actor> {
  const actor = await findDemoActor(tx, username);
  if (!actor) throw new Error(`demo user ${username} is missing`);
  return actor;
}
