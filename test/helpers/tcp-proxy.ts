/**
 * A TCP proxy that a test can cut, to see what Baton's processes do when their connections drop: it
 * forwards every connection to `target` (PostgreSQL, RabbitMQ...); `cut()` destroys every open
 * connection and stops listening, so that new ones are refused (ECONNREFUSED, as from a server that is
 * down) until `restore()` listens again on the same port.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1); it stays the same across cuts. */
  port: number;
  /** Connections accepted since the start. */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  /**
   * From now on until `cut`, what the server sends is dropped: its answers are lost on the way, as when
   * a connection fails after the server did the work.
   */
  dropReplies(): void;
  /** Destroys every open connection and refuses new ones until `restore`. */
  cut(): Promise<void>;
  /** Accepts connections again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });

export const startTcpProxy = async (target: { host: string; port: number }): Promise<TcpProxy> => {
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  let accepted = 0;
  let dropping = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A peer reset is the point of these tests: it must not throw in the test process.
    socket.on('error', () => undefined);
  };
  const newServer = () =>
    createServer((client) => {
      accepted++;
      const upstream = createConnection(target);
      track(client);
      track(upstream);
      clients.add(client);
      client.once('close', () => clients.delete(client));
      client.pipe(upstream);
      upstream.on('data', (data: Buffer) => {
        if (!dropping) client.write(data);
      });
      // Either side closing closes the other, as a direct connection would.
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });
  let server = newServer();
  const port = await listen(server, 0);
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return clients.size;
    },
    dropReplies() {
      dropping = true;
    },
    async cut() {
      dropping = false;
      const closed = stopListening();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async restore() {
      server = newServer();
      await listen(server, port);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await stopListening();
    },
  };
};
