// Asks whether something listens on a TCP port, and whether it is a Neo4j that speaks Bolt.
import net from 'node:net';
import neo4j from 'neo4j-driver';
import { GraphError } from '../errors';

/** True when a TCP connection to host:port is accepted within `timeoutMs`. */
export function portAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The driver's `auth.none()` token, which its top-level typings leave out; the local server has auth disabled. */
const NO_AUTH = { scheme: 'none', credentials: '' };

export interface BoltCredentials {
  user: string;
  password: string;
}

/**
 * Opens a driver, runs the handshake and closes it. Without credentials it connects with no auth, as the
 * local server expects. Throws DATABASE_UNAVAILABLE with the driver's reason.
 */
export async function verifyBolt(uri: string, credentials?: BoltCredentials): Promise<void> {
  const auth = credentials ? neo4j.auth.basic(credentials.user, credentials.password) : NO_AUTH;
  const driver = neo4j.driver(uri, auth, { connectionTimeout: 10_000, maxConnectionPoolSize: 1 });
  try {
    await driver.verifyConnectivity();
  } catch (err) {
    throw new GraphError('DATABASE_UNAVAILABLE', `Neo4j at ${uri} did not answer: ${(err as Error).message}`, { cause: err });
  } finally {
    await driver.close();
  }
}
