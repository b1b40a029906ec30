import crypto from 'node:crypto';

export type CryptoSuite = 'gm' | 'standard';

/** The digest of the chosen suite: SM3 (国密) or SHA-256; hex. */
export function digest(suite: CryptoSuite, data: string | Buffer): string {
  return crypto.hash(suite === 'gm' ? 'sm3' : 'sha256', data, 'hex');
}

export const digestName = (suite: CryptoSuite): string => (suite === 'gm' ? 'sm3' : 'sha256');

/**
 * SHA-256 of a high-entropy secret (session tokens, API keys): enough, since they cannot be
 * guessed.
 */
export function hashSecret(secret: string): Buffer {
  return crypto.createHash('sha256').update(secret).digest();
}

/** A random URL-safe token of `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** A password a person can type: 16 chars with upper, lower, digit and symbol. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const body = Array.from(crypto.randomBytes(13), (b) => alphabet[b % alphabet.length]).join('');
  return `${body}@${crypto.randomInt(10)}${'ABCDEFGH'[crypto.randomInt(8)]}`;
}

/** Compares two strings in constant time. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
