import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts as the server did before key ids (`v1.<iv>.<body>`, the context alone as AAD), so tests
 * can build a database written by an earlier version.
 */
export function encryptV1(base64Key: string, plaintext: string, context: string): string {
  const dataKey = Buffer.from(hkdfSync('sha256', Buffer.from(base64Key, 'base64'), Buffer.alloc(0), 'tahaffuz field encryption v1', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`;
}
