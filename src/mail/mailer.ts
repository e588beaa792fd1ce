import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments?: MailAttachment[];
}

/** The mail port: the dispatcher talks to this, tests and production give it a real SMTP server. */
export abstract class Mailer {
  abstract readonly enabled: boolean;
  abstract send(mail: OutgoingMail): Promise<string>;
}

export class SmtpMailer extends Mailer {
  readonly enabled = true;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(url: string) {
    super();
    // Short timeouts: a hung server must not hold a lease for long; the next sweep retries.
    // Transport options, not message defaults: only there do the timeouts apply to the connection.
    this.transport = createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(mail: OutgoingMail): Promise<string> {
    const info = await this.transport.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      attachments: mail.attachments,
    });
    return info.response ?? '';
  }
}

/** Without SMTP_URL: nothing is sent; mails stay in the outbox for GET /api/outbox. */
export class DisabledMailer extends Mailer {
  readonly enabled = false;
  send(): Promise<string> {
    return Promise.reject(new Error('SMTP_URL is not set'));
  }
}
