import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a mail needs to be sent and what no reader of the outbox may see: the addresses and the bodies. */
export interface SealedMail {
  to: string[];
  text: string;
  html: string;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals a mail's deliverable parts with AES-256-GCM under a key kept outside the database
 * (MAIL_SEAL_KEY, or a key file in DATA_DIR), so that neither the API, the console nor a dump of
 * the database can read a tracking code, a survey link or a complainant's address from the
 * outbox. Only the dispatcher opens a seal, to send it.
 */
export class MailSeal {
  private constructor(private readonly key: Buffer) {}

  /** Any secret of 32 or more characters is hashed to the 256-bit key. */
  static fromSecret(secret: string): MailSeal {
    return new MailSeal(createHash('sha256').update(`yankomas-mail-seal:${secret}`).digest());
  }

  /**
   * MAIL_SEAL_KEY when set (every instance of a fleet must share it); otherwise a key generated
   * once into DATA_DIR/mail-seal.key, readable only by the service's user.
   */
  static fromConfig(config: { MAIL_SEAL_KEY?: string; DATA_DIR: string }): MailSeal {
    if (config.MAIL_SEAL_KEY) return MailSeal.fromSecret(config.MAIL_SEAL_KEY);
    const file = join(config.DATA_DIR, 'mail-seal.key');
    if (!existsSync(file)) {
      mkdirSync(config.DATA_DIR, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    return MailSeal.fromSecret(readFileSync(file, 'utf8').trim());
  }

  seal(mail: SealedMail): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(mail), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /**
   * A secret kept for a short while outside a mail (a receipt's tracking code, to answer a repeated
   * registration with the same receipt), sealed under the same key.
   */
  sealSecret(secret: string): Buffer {
    return this.seal({ to: [], text: secret, html: '' });
  }

  openSecret(sealed: Buffer): string {
    return this.open(sealed).text;
  }

  /** Throws when the seal was made with another key or was altered. */
  open(sealed: Buffer): SealedMail {
    if (sealed[0] !== VERSION) throw new Error('unknown seal version');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as SealedMail;
  }
}

export const MASK = '••••••';

/** `siti@example.id` → `s•••@e•••.id`: enough to tell two addresses apart, not to write to one. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return MASK;
  const domain = address.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${address[0]}•••@${domain[0] ?? ''}•••${tld}`;
}
