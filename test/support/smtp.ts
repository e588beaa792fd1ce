import { SMTPServer } from 'smtp-server';
import { freePort } from '../../src/database/embedded-postgres';

export interface ReceivedMail {
  to: string[];
  subject: string;
  messageId: string;
  raw: string;
}

/**
 * A real SMTP server in the test process. `refuseNext(n)` answers the next n messages with a
 * temporary failure (451), as a mail server under load or maintenance does.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private refusals = 0;
  /** The reply code of the refusals: 451 (try later) unless a permanent one (5xx) is set. */
  refusalCode = 451;
  /** How long the server takes before it answers each message (a slow or overloaded server). */
  delayMs = 0;
  private server: SMTPServer;
  port = 0;

  async start(port?: number): Promise<this> {
    this.port = port ?? (await freePort());
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on(
          'end',
          () =>
            void this.answerAfterDelay(() => {
              if (this.refusals > 0) {
                this.refusals -= 1;
                const error = new Error('Layanan sementara tidak tersedia') as Error & {
                  responseCode: number;
                };
                error.responseCode = this.refusalCode;
                return callback(error);
              }
              // Long headers are folded onto continuation lines (RFC 5322): unfold before reading.
              const header = (name: string) =>
                raw
                  .match(new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'mi'))?.[1]
                  .replace(/\r?\n[ \t]+/g, ' ')
                  .trim() ?? '';
              this.received.push({
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: decodeSubject(header('Subject')),
                messageId: header('Message-ID'),
                raw,
              });
              callback();
            }),
        );
      },
    });
    await new Promise<void>((done) => this.server.listen(this.port, '127.0.0.1', done));
    return this;
  }

  private async answerAfterDelay(answer: () => void): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    answer();
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  refuseNext(n: number): void {
    this.refusals = n;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

/** RFC 2047 encoded words (nodemailer encodes non-ASCII subjects). */
function decodeSubject(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString()
      : text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16))),
  );
}
