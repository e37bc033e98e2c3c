import { ReferralServerError } from '../errors.js';

/** Bytes of the AES-GCM nonce. */
export const IV_BYTES = 12;
/** Bytes of the AES-GCM authentication tag at the end of the body. */
export const TAG_BYTES = 16;

/** A key id: 8 lowercase hex characters derived from the key (never the key itself). */
const KEY_ID_PATTERN = /^[0-9a-f]{8}$/;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A stored ciphertext, split into its parts. `v1` values (written before key ids) do not say
 * which key wrote them; `v2` values name it: `v2.<key id>.<iv>.<ciphertext+tag>`, base64url.
 */
export type SealedValue =
  | { readonly version: 'v1'; readonly iv: Buffer; readonly body: Buffer }
  | { readonly version: 'v2'; readonly keyId: string; readonly iv: Buffer; readonly body: Buffer };

/** The text before the iv of a `v2` value written with `keyId`, e.g. `v2.1a2b3c4d.`. */
export function v2Prefix(keyId: string): string {
  return `v2.${keyId}.`;
}

/** Writes a sealed value in its stored text form. */
export function formatSealedValue(value: SealedValue): string {
  const tail = `${value.iv.toString('base64url')}.${value.body.toString('base64url')}`;
  return value.version === 'v1' ? `v1.${tail}` : `${v2Prefix(value.keyId)}${tail}`;
}

function decodePart(text: string | undefined): Buffer | undefined {
  if (text === undefined || !BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Node's decoder is lenient (it ignores trailing bits): only the canonical spelling is accepted.
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * Reads a stored ciphertext; throws a `decryption_failed` error naming `context` (never the value)
 * for an unknown version, a malformed key id, or parts that are not canonical base64url.
 */
export function parseSealedValue(text: string, context: string): SealedValue {
  const parts = text.split('.');
  const [version] = parts;
  if (version === 'v1' && parts.length === 3) {
    const iv = decodePart(parts[1]);
    const body = decodePart(parts[2]);
    if (iv?.length === IV_BYTES && body !== undefined && body.length >= TAG_BYTES) return { version, iv, body };
  } else if (version === 'v2' && parts.length === 4) {
    const keyId = parts[1] ?? '';
    const iv = decodePart(parts[2]);
    const body = decodePart(parts[3]);
    if (KEY_ID_PATTERN.test(keyId) && iv?.length === IV_BYTES && body !== undefined && body.length >= TAG_BYTES) {
      return { version, keyId, iv, body };
    }
  } else {
    const shown = /^v\d{1,3}$/.test(version ?? '') ? ` (version "${version ?? ''}")` : '';
    throw new ReferralServerError(
      'decryption_failed',
      `Stored value for ${context} is not in a known ciphertext format${shown}: v1 or v2 expected.`,
    );
  }
  throw new ReferralServerError(
    'decryption_failed',
    `Stored value for ${context} is a malformed or truncated ${version ?? ''} ciphertext.`,
  );
}

/**
 * The key id a stored value names, `v1` for values written before key ids, or `undefined` when
 * the text is no ciphertext of a known format. Looks at the prefix only.
 */
export function sealedKeyIdOf(text: string): string | undefined {
  if (text.startsWith('v1.')) return 'v1';
  if (text.startsWith('v2.') && text.charAt(11) === '.') {
    const keyId = text.slice(3, 11);
    return KEY_ID_PATTERN.test(keyId) ? keyId : undefined;
  }
  return undefined;
}
