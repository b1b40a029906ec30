/**
 * Who is calling, as every layer sees it. The identity module decides the actor from a session or
 * an API key and manages the people and clients behind it; the platform only checks its roles.
 */

/** The roles of SPEC's "People and bodies". */
export const ROLES = [
  'platform_admin',
  'reviewer',
  'officer',
  'cdo',
  'consumer',
  'auditor',
  'operator',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is making a request, decided on the server from the session or the API key. */
export interface Actor {
  kind: 'user' | 'client';
  id: string;
  /** The account's name: a user's username, a client's name. The audit ledger records this. */
  name: string;
  /** Who did it, as pages show it: a user's display name (姓名), a client's name. */
  displayName: string;
  orgId: string;
  orgName: string;
  roles: Role[];
}
