// PostgreSQL wire-protocol (v3) messages the BI endpoint reads, rewrites or answers itself: startup, Query,
// Parse/Bind/Describe/Close/Execute names, ErrorResponse, CommandComplete, ReadyForQuery, PortalSuspended.

export const PROTOCOL_V3 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const SYNC: Uint8Array = Uint8Array.from([0x53, 0, 0, 0, 4]);

const view = (msg: Uint8Array): Buffer => Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength);

function frame(type: string, body: Buffer): Uint8Array {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return new Uint8Array(out);
}

const cstring = (text: string): Buffer => Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);

/** The text up to the next NUL from `offset`, and the offset after it. */
function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new Error('malformed protocol message: string without its NUL terminator');
  return [buf.toString('utf8', offset, end), end + 1];
}

/** An 8-byte request sent before the startup packet (SSL or GSS encryption), by its code; null otherwise. */
export function encryptionRequest(msg: Uint8Array): 'ssl' | 'gssenc' | null {
  if (msg.byteLength !== 8 || view(msg).readInt32BE(0) !== 8) return null;
  const code = view(msg).readInt32BE(4);
  return code === SSL_REQUEST ? 'ssl' : code === GSSENC_REQUEST ? 'gssenc' : null;
}

export function isStartupMessage(msg: Uint8Array): boolean {
  return msg.byteLength >= 8 && view(msg).readInt32BE(4) === PROTOCOL_V3;
}

/** The name/value pairs of a startup packet (user, database, application_name, options, ...). */
export function startupParameters(msg: Uint8Array): Map<string, string> {
  const buf = view(msg);
  const params = new Map<string, string>();
  let offset = 8;
  while (offset < buf.length && buf[offset] !== 0) {
    const [name, afterName] = readCString(buf, offset);
    const [value, afterValue] = readCString(buf, afterName);
    params.set(name, value);
    offset = afterValue;
  }
  return params;
}

/** A startup packet carrying only these parameters. */
export function startupMessage(params: Record<string, string>): Uint8Array {
  const body = Buffer.concat([...Object.entries(params).flatMap(([k, v]) => [cstring(k), cstring(v)]), Buffer.from([0])]);
  const out = Buffer.alloc(8 + body.length);
  out.writeInt32BE(8 + body.length, 0);
  out.writeInt32BE(PROTOCOL_V3, 4);
  body.copy(out, 8);
  return new Uint8Array(out);
}

/** The SQL of a Query ('Q') message. */
export function queryText(msg: Uint8Array): string {
  return readCString(view(msg), 5)[0];
}

/** The statement name and SQL of a Parse ('P') message. */
export function parseFields(msg: Uint8Array): { name: string; query: string } {
  const buf = view(msg);
  const [name, afterName] = readCString(buf, 5);
  return { name, query: readCString(buf, afterName)[0] };
}

/** A Parse ('P') message with its SQL replaced (name and parameter types kept). */
export function withQuery(msg: Uint8Array, query: string): Uint8Array {
  const buf = view(msg);
  const [, afterName] = readCString(buf, 5);
  const [, afterQuery] = readCString(buf, afterName);
  return frame('P', Buffer.concat([buf.subarray(5, afterName), cstring(query), buf.subarray(afterQuery)]));
}

export function query(sql: string): Uint8Array {
  return frame('Q', cstring(sql));
}

/** The portal a B, E, D or C message names ('' = unnamed), or null when it names a prepared statement. */
export function portalName(msg: Uint8Array): string | null {
  const type = String.fromCharCode(msg[0]);
  if (type === 'B' || type === 'E') return readCString(view(msg), 5)[0];
  if ((type === 'D' || type === 'C') && msg[5] === 0x50 /* 'P' */) return readCString(view(msg), 6)[0];
  return null;
}

/** An E, D or C message naming a portal, with that portal's name replaced. */
export function renamePortal(msg: Uint8Array, name: string): Uint8Array {
  const buf = view(msg);
  const type = String.fromCharCode(msg[0]);
  const at = type === 'E' ? 5 : 6;
  const [, after] = readCString(buf, at);
  return frame(type, Buffer.concat([buf.subarray(5, at), cstring(name), buf.subarray(after)]));
}

/** The row limit of an Execute ('E') message (0 = all rows). */
export function executeMaxRows(msg: Uint8Array): number {
  const buf = view(msg);
  return buf.readInt32BE(readCString(buf, 5)[1]);
}

export function execute(portal: string, maxRows: number): Uint8Array {
  const rows = Buffer.alloc(4);
  rows.writeInt32BE(maxRows, 0);
  return frame('E', Buffer.concat([cstring(portal), rows]));
}

export function describePortal(portal: string): Uint8Array {
  return frame('D', Buffer.concat([Buffer.from('P', 'latin1'), cstring(portal)]));
}

export function closePortal(portal: string): Uint8Array {
  return frame('C', Buffer.concat([Buffer.from('P', 'latin1'), cstring(portal)]));
}

export const CLOSE_COMPLETE: Uint8Array = Uint8Array.from([0x33, 0, 0, 0, 4]);
export const PORTAL_SUSPENDED: Uint8Array = Uint8Array.from([0x73, 0, 0, 0, 4]);

/** The tag of a CommandComplete ('C') backend message. */
export function commandTag(msg: Uint8Array): string {
  return readCString(view(msg), 5)[0];
}

/** The position of the prepared-statement name in a P, B, D or C message, or null when it names a portal. */
function statementNameAt(msg: Uint8Array): number | null {
  const buf = view(msg);
  switch (String.fromCharCode(msg[0])) {
    case 'P':
      return 5;
    case 'B':
      return readCString(buf, 5)[1]; // after the portal name
    case 'D':
    case 'C':
      return msg[5] === 0x53 /* 'S' */ ? 6 : null;
    default:
      return null;
  }
}

/** The prepared-statement name a P, B, D or C message refers to ('' = unnamed), or null when there is none. */
export function statementName(msg: Uint8Array): string | null {
  const at = statementNameAt(msg);
  return at === null ? null : readCString(view(msg), at)[0];
}

/** The message with its prepared-statement name replaced (named statements only; the unnamed one stays ''). */
export function renameStatement(msg: Uint8Array, rename: (name: string) => string): Uint8Array {
  const at = statementNameAt(msg);
  if (at === null) return msg;
  const buf = view(msg);
  const [name, after] = readCString(buf, at);
  if (name === '') return msg;
  const body = Buffer.concat([buf.subarray(5, at), cstring(rename(name)), buf.subarray(after)]);
  return frame(String.fromCharCode(msg[0]), body);
}

/** ErrorResponse with severity, SQLSTATE and message. */
export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, message: string): Uint8Array {
  const field = (type: string, value: string) => Buffer.concat([Buffer.from(type, 'latin1'), cstring(value)]);
  return frame('E', Buffer.concat([field('S', severity), field('V', severity), field('C', code), field('M', message), Buffer.from([0])]));
}

export function commandComplete(tag: string): Uint8Array {
  return frame('C', cstring(tag));
}

/** ReadyForQuery: 'I' idle, 'T' in a transaction block, 'E' in a failed one. */
export function readyForQuery(status: 'I' | 'T' | 'E'): Uint8Array {
  return frame('Z', Buffer.from(status, 'latin1'));
}

/** Splits backend output, chunk by chunk (a message may span chunks), into whole messages. */
export class BackendMessages {
  readonly messages: Uint8Array[] = [];
  private pending = Buffer.alloc(0);

  feed(chunk: Uint8Array): void {
    this.pending = Buffer.concat([this.pending, view(chunk)]);
    while (this.pending.length >= 5 && this.pending.length >= 1 + this.pending.readInt32BE(1)) {
      const end = 1 + this.pending.readInt32BE(1);
      this.messages.push(new Uint8Array(this.pending.subarray(0, end)));
      this.pending = this.pending.subarray(end);
    }
  }
}

/**
 * Follows the backend messages of one exchange, chunk by chunk (a message may span chunks), and keeps the
 * transaction status of its last ReadyForQuery, whether a portal was suspended (Execute with a row limit) and
 * whether an error was sent.
 */
export class BackendTracker {
  status: 'I' | 'T' | 'E' | null = null;
  suspended = false;
  failed = false;
  private header = Buffer.alloc(0);
  private remaining = 0;
  private inReady = false;

  feed(chunk: Uint8Array): void {
    let data = view(chunk);
    while (data.length > 0) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length);
        if (this.inReady && take === this.remaining) this.status = String.fromCharCode(data[take - 1]) as 'I' | 'T' | 'E';
        this.remaining -= take;
        data = data.subarray(take);
        continue;
      }
      const need = 5 - this.header.length;
      this.header = Buffer.concat([this.header, data.subarray(0, need)]);
      data = data.subarray(Math.min(need, data.length));
      if (this.header.length < 5) return;
      const type = String.fromCharCode(this.header[0]);
      this.remaining = this.header.readInt32BE(1) - 4;
      this.inReady = type === 'Z';
      if (type === 's') this.suspended = true;
      if (type === 'E') this.failed = true;
      this.header = Buffer.alloc(0);
    }
  }
}
