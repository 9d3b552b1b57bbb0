// A raw protocol client that keeps the embedded BI endpoint's shared session: it sends Parse and Flush without the
// Sync that would end its exchange, as a client in the middle of an extended-protocol exchange does.
import { connect } from 'node:net';

const frame = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
};

/** Connects to `port` and holds the session until `release()` sends the Sync (and closes the socket). */
export async function holdSession(port: number): Promise<{ release(): void }> {
  const socket = connect(port, '127.0.0.1');
  let replies = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (replies = Buffer.concat([replies, chunk])));
  await new Promise((resolve) => socket.once('connect', resolve));
  const waitFor = async (bytes: string) => {
    for (let i = 0; i < 500 && !replies.includes(Buffer.from(bytes, 'latin1')); i++) await new Promise((r) => setTimeout(r, 10));
    if (!replies.includes(Buffer.from(bytes, 'latin1'))) throw new Error(`no ${JSON.stringify(bytes)} from the BI endpoint`);
  };
  const params = Buffer.from('user\0eior\0\0', 'latin1');
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + params.length, 0);
  startup.writeInt32BE(196608, 4);
  socket.write(Buffer.concat([startup, params]));
  await waitFor('Z\0\0\0\x05I');
  socket.write(Buffer.concat([frame('P', Buffer.from('\0SELECT 1\0\0\0', 'latin1')), frame('H', Buffer.alloc(0))]));
  await waitFor('1\0\0\0\x04'); // ParseComplete: the exchange has the session
  return {
    release() {
      socket.end(frame('S', Buffer.alloc(0)));
    },
  };
}
