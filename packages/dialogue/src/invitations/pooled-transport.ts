import nodemailer, { type SMTPPoolOptions, type Transporter } from 'nodemailer';

/** What {@link createPooledTransport} needs: where to send, how many connections, how fast. */
export interface PooledTransportOptions {
  readonly smtpUrl: string | undefined;
  readonly smtpOptions: Omit<SMTPPoolOptions, 'pool'> | undefined;
  readonly maxConnections: number;
  readonly ratePerSecond: number;
}

/** The pooled SMTP transport the dialogue's senders own (invitations and reminders). */
export function createPooledTransport(options: PooledTransportOptions): Transporter {
  return nodemailer.createTransport({
    ...options.smtpOptions,
    url: options.smtpUrl,
    pool: true,
    // The pool would silently resend a message whose connection closed, even after DATA: a
    // duplicate nobody hears of. Every lost connection comes back to the sender, to be logged and retried.
    maxRequeues: 0,
    maxConnections: options.maxConnections,
    rateLimit: options.ratePerSecond,
    rateDelta: 1000,
  } as SMTPPoolOptions & { pool: true });
}
