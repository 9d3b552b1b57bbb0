// One driver per process, a session per unit of work (the driver retries transient errors inside
// executeRead/executeWrite), and Neo4j errors translated to domain errors in one place.
import neo4j, { Driver, ManagedTransaction } from 'neo4j-driver';
import { GraphError } from '../errors';

export interface GraphConnectionOptions {
  /** bolt://, neo4j://, neo4j+s:// ... */
  uri: string;
  user: string;
  password: string;
  /** Database name; Community has exactly one user database, `neo4j`. */
  database?: string;
}

export type Work<T> = (tx: ManagedTransaction) => Promise<T>;

export class GraphClient {
  private transactions = 0;

  private constructor(
    private readonly driver: Driver,
    private readonly database: string,
    readonly uri: string,
  ) {}

  /** Connects and checks the server answers; the error names the URI when it does not. */
  static async connect(options: GraphConnectionOptions): Promise<GraphClient> {
    const auth = options.password ? neo4j.auth.basic(options.user, options.password) : undefined;
    const driver = neo4j.driver(options.uri, auth, {
      // Counts and indexes in this project stay far below 2^53: plain numbers are safe and never leak Integer.
      disableLosslessIntegers: true,
      maxConnectionPoolSize: 16,
      logging: undefined,
    });
    try {
      await driver.verifyConnectivity();
    } catch (err) {
      await driver.close();
      throw translateNeo4jError(err, `cannot reach Neo4j at ${options.uri}`);
    }
    return new GraphClient(driver, options.database ?? 'neo4j', options.uri);
  }

  read<T>(work: Work<T>): Promise<T> {
    return this.execute('READ', work);
  }

  write<T>(work: Work<T>): Promise<T> {
    return this.execute('WRITE', work);
  }

  /** Units of work (read or write transactions) sent so far: the API's tests bound round trips per request with it. */
  get transactionCount(): number {
    return this.transactions;
  }

  private async execute<T>(mode: 'READ' | 'WRITE', work: Work<T>): Promise<T> {
    this.transactions++;
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session[mode] });
    try {
      return await (mode === 'READ' ? session.executeRead(work) : session.executeWrite(work));
    } catch (err) {
      throw translateNeo4jError(err);
    } finally {
      await session.close();
    }
  }

  /** Schema statements (constraints, indexes) cannot run inside executeWrite's managed transactions. */
  async runAutoCommit(cypher: string, params: Record<string, unknown> = {}): Promise<void> {
    const session = this.driver.session({ database: this.database });
    try {
      await session.run(cypher, params);
    } catch (err) {
      throw translateNeo4jError(err);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

/** The one place Neo4j error codes become domain errors. */
export function translateNeo4jError(err: unknown, context?: string): GraphError {
  if (err instanceof GraphError) return err;
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const message = e?.message ?? String(err);
  const prefix = context ? `${context}: ` : '';
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || /ECONNREFUSED|connect/i.test(code)) {
    return new GraphError('DATABASE_UNAVAILABLE', `${prefix}${message}`, { cause: err });
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new GraphError('CONFLICT', `${prefix}${message}`, { cause: err });
  }
  if (code.startsWith('Neo.ClientError.Security')) {
    return new GraphError('DATABASE_UNAVAILABLE', `${prefix}authentication to Neo4j failed: ${message}`, { cause: err });
  }
  if (code.startsWith('Neo.ClientError.Statement')) {
    return new GraphError('BAD_USER_INPUT', `${prefix}${message}`, { cause: err });
  }
  return new GraphError(context ? 'DATABASE_UNAVAILABLE' : 'INTERNAL', `${prefix}${message}`, { cause: err });
}
