/**
 * Real local receivers for the notification tests: an HTTP server standing for Slack, Teams or any
 * webhook (it records each request; `/status/NNN/...` answers NNN), and an SMTP server (smtp-server)
 * that checks credentials and records each message parsed (mailparser), with the user it authenticated.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedPost {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

export interface HookServer {
  url: string;
  posts: ReceivedPost[];
  /** The requests to paths starting with `prefix`. */
  to(prefix: string): ReceivedPost[];
  close(): Promise<void>;
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** `unref`: a receiver left open by a table of rows never keeps the test process alive. */
export const startHookServer = async (opts: { unref?: boolean } = {}): Promise<HookServer> => {
  const posts: ReceivedPost[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      posts.push({ method: req.method ?? '', path, headers: req.headers, text, json: parseJson(text) });
      const status = /^\/status\/(\d{3})\b/.exec(path)?.[1];
      res.writeHead(status ? Number(status) : 200, { 'content-type': 'text/plain' });
      res.end(status ? `answer ${status}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  if (opts.unref) server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    to: (prefix) => posts.filter((p) => p.path.startsWith(prefix)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export interface ReceivedMail {
  /** The user that authenticated (undefined: none). */
  user: string | undefined;
  /** The session was encrypted (SMTPS, or upgraded by STARTTLS). */
  secure: boolean;
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  /** Logins refused (wrong password). */
  refused: string[];
  close(): Promise<void>;
}

/**
 * An SMTP server on 127.0.0.1 that accepts `user`/`password` only. It offers STARTTLS with
 * smtp-server's own self-signed certificate; `secure: true` speaks TLS from the start (SMTPS).
 */
export const startSmtpServer = async (opts: {
  user: string;
  password: string;
  secure?: boolean;
  unref?: boolean;
}): Promise<SmtpReceiver> => {
  const mails: ReceivedMail[] = [];
  const refused: string[] = [];
  const server = new SMTPServer({
    secure: opts.secure ?? false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: [],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === opts.user && auth.password === opts.password)
        return callback(null, { user: auth.username });
      refused.push(auth.username ?? '');
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push({
            user: session.user as string | undefined,
            secure: session.secure,
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            mail,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  // A client that refuses the certificate hangs up mid-handshake: an expected event here, not a failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const net = (server as unknown as { server: import('node:net').Server }).server;
  if (opts.unref) net.unref();
  return {
    port: (net.address() as AddressInfo).port,
    mails,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
