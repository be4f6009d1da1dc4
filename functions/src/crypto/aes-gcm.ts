import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

const TAG_BYTES = 16;

/** AES-256-GCM: returns ciphertext followed by the 16-byte tag. `aad` binds it to its item. */
export function gcmSeal(key: KeyObject, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const tag = cipher.getAuthTag();
  const out = new Uint8Array(head.length + tail.length + TAG_BYTES);
  out.set(head, 0);
  out.set(tail, head.length);
  out.set(tag, head.length + tail.length);
  return out;
}

/** Opens a `gcmSeal` output; throws when the key, IV, AAD or any byte does not match. */
export function gcmOpen(key: KeyObject, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  if (sealed.length < TAG_BYTES) throw new Error('Sealed data is too short.');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const head = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  const tail = decipher.final();
  return tail.length === 0 ? new Uint8Array(head) : new Uint8Array(Buffer.concat([head, tail]));
}
