/**
 * Sending one e-mail over SMTP with nodemailer, from MailSend's and MailExecution's properties: the
 * transport strategy, credentials, files of internal storage as attachments, and SMTP failures turned
 * into TaskErrors that say what to check and whether a retry may help. The password is handed to
 * nodemailer only: it is never logged (nodemailer's logger is off) nor part of an error or an output.
 */
import { basename } from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { TaskRunContext } from '../context.ts';
import { TaskError } from '../types.ts';
import type { TRANSPORT_STRATEGIES } from './mail.ts';

interface FileRef {
  name?: string;
  uri: string;
  contentType?: string;
}

export interface SmtpProps {
  host: string;
  port?: number;
  username?: string;
  password?: string;
  transportStrategy?: (typeof TRANSPORT_STRATEGIES)[number];
  sessionTimeout?: number;
  verifyServerIdentity?: boolean;
  trustedHosts?: string[];
  from: string;
  to: string;
  cc?: string;
  subject?: string;
  attachments?: FileRef[] | string;
  embeddedImages?: FileRef[] | string;
}

export interface MailBody {
  subject?: string;
  html?: string;
  text?: string;
}

/** Kestra's default `sessionTimeout`, in milliseconds. */
const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
const DEFAULT_PORTS = { SMTP: 25, SMTPS: 465, SMTP_TLS: 587, SMTP_OAUTH2: 587 } as const;

/** Addresses separated by semicolons (Kestra) or commas (nodemailer parses each entry's commas). */
const recipients = (list: string | undefined): string[] =>
  (list ?? '')
    .split(';')
    .map((a) => a.trim())
    .filter((a) => a !== '');

const fileRefs = (value: FileRef[] | string | undefined, what: string): FileRef[] => {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed)) return parsed as FileRef[];
  } catch {
    // reported below
  }
  throw new TaskError(`${what}: expected a list of {name, uri, contentType}, got ${value.slice(0, 80)}`, {
    retryable: false,
  });
};

const readFiles = async (ctx: TaskRunContext, refs: FileRef[], what: string, inline: boolean) =>
  Promise.all(
    refs.map(async (ref) => {
      if (typeof ref?.uri !== 'string' || !ref.uri.startsWith('kestra://'))
        throw new TaskError(`${what}: each file needs a kestra:/// uri, got ${JSON.stringify(ref?.uri)}`, {
          retryable: false,
        });
      const filename = ref.name ?? basename(ref.uri);
      return {
        filename,
        content: await ctx.storage.get(ref.uri),
        ...(ref.contentType ? { contentType: ref.contentType } : {}),
        ...(inline ? { cid: filename, contentDisposition: 'inline' as const } : {}),
      };
    }),
  );

export const transportOptions = (p: SmtpProps): SMTPTransport.Options => {
  const strategy = p.transportStrategy ?? 'SMTPS';
  const timeout = p.sessionTimeout ?? DEFAULT_SESSION_TIMEOUT_MS;
  const trusted = (p.trustedHosts ?? []).some((h) => h === '*' || h === p.host);
  const auth =
    p.username === undefined || p.username === ''
      ? undefined
      : strategy === 'SMTP_OAUTH2'
        ? { type: 'OAuth2' as const, user: p.username, accessToken: p.password ?? '' }
        : { user: p.username, pass: p.password ?? '' };
  return {
    host: p.host,
    port: p.port ?? DEFAULT_PORTS[strategy],
    secure: strategy === 'SMTPS',
    ignoreTLS: strategy === 'SMTP',
    requireTLS: strategy === 'SMTP_TLS' || strategy === 'SMTP_OAUTH2',
    ...(auth ? { auth } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    tls: { rejectUnauthorized: (p.verifyServerIdentity ?? true) && !trusted },
    logger: false,
    debug: false,
  };
};

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

/** What went wrong, what to check, and whether trying again may help. */
export const smtpError = (p: SmtpProps, error: unknown): TaskError => {
  const e = error as SmtpFailure;
  const server = `${p.host}:${p.port ?? DEFAULT_PORTS[p.transportStrategy ?? 'SMTPS']}`;
  const said = (e.message ?? String(error)).split('\n')[0] ?? '';
  const fail = (message: string, retryable: boolean) =>
    new TaskError(`SMTP ${server}: ${message} (${said})`, { retryable, cause: error });
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH')
    return fail('the server refused the credentials; check username and password', false);
  if (/certificate|self.signed|altnames/i.test(said))
    return fail("the server's TLS certificate is not trusted; check host, or trustedHosts", false);
  if (e.code === 'ETLS' || /STARTTLS/i.test(said))
    return fail('TLS could not be set up; check transportStrategy (SMTPS on 465, SMTP_TLS on 587)', false);
  if (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'EDNS')
    return fail('could not talk to the server; check host, port and transportStrategy', true);
  if (e.responseCode !== undefined && e.responseCode >= 500)
    return fail('the server refused the message; check from, to and cc', false);
  if (e.responseCode !== undefined && e.responseCode >= 400)
    return fail('the server refused the message for now', true);
  if (e.code === 'EENVELOPE') return fail('no valid sender or recipient; check from, to and cc', false);
  return fail('the message could not be sent', true);
};

/** Sends one message; resolves once the server accepted it. */
export const sendMail = async (ctx: TaskRunContext, p: SmtpProps, body: MailBody): Promise<void> => {
  const to = recipients(p.to);
  if (to.length === 0) throw new TaskError('to: give at least one recipient address', { retryable: false });
  const attachments = [
    ...(await readFiles(ctx, fileRefs(p.attachments, 'attachments'), 'attachments', false)),
    ...(await readFiles(ctx, fileRefs(p.embeddedImages, 'embeddedImages'), 'embeddedImages', true)),
  ];
  const transport = nodemailer.createTransport(transportOptions(p));
  // A kill or timeout stops waiting for the server at once (its socket times out on its own).
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(ctx.signal.reason);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined); // an abort after the message went is of no interest
  try {
    await Promise.race([
      transport.sendMail({
        from: p.from,
        to,
        ...(p.cc ? { cc: recipients(p.cc) } : {}),
        subject: body.subject ?? '',
        ...(body.html !== undefined ? { html: body.html } : {}),
        ...(body.text !== undefined ? { text: body.text } : {}),
        attachments,
      }),
      aborted,
    ]);
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw smtpError(p, error);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    transport.close();
  }
};
