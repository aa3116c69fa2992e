/**
 * The messages two nodes exchange to serve one forwarded HTTP request, each a JSON object on the
 * receiving node's inbox channel. `id` names the request; `from` is the node to answer.
 */
export type ForwardMessage =
  | {
      t: 'req';
      id: string;
      from: string;
      method: string;
      url: string;
      path: string;
      body?: string;
      addr?: string;
    }
  | { t: 'ack'; id: string }
  | { t: 'head'; id: string; status: number; headers: Record<string, string> }
  | { t: 'data'; id: string; chunk: string }
  | { t: 'end'; id: string; chunk?: string }
  | { t: 'destroy'; id: string }
  | { t: 'abort'; id: string; from: string };

export const encodeForwardMessage = (message: ForwardMessage): string => JSON.stringify(message);

/** Undefined for anything that is not a well-formed message (never a throw). */
export function decodeForwardMessage(raw: string): ForwardMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const m = parsed as Record<string, unknown>;
  if (typeof m.id !== 'string') return undefined;
  const id = m.id;
  const optionalString = (value: unknown): value is string | undefined =>
    value === undefined || typeof value === 'string';
  switch (m.t) {
    case 'req':
      if (
        typeof m.from !== 'string' ||
        typeof m.method !== 'string' ||
        typeof m.url !== 'string' ||
        typeof m.path !== 'string'
      )
        return undefined;
      if (!optionalString(m.body) || !optionalString(m.addr)) return undefined;
      return {
        t: 'req',
        id,
        from: m.from,
        method: m.method,
        url: m.url,
        path: m.path,
        ...(m.body !== undefined ? { body: m.body } : {}),
        ...(m.addr !== undefined ? { addr: m.addr } : {}),
      };
    case 'ack':
      return { t: 'ack', id };
    case 'head': {
      if (typeof m.status !== 'number' || typeof m.headers !== 'object' || m.headers === null)
        return undefined;
      const headers = Object.fromEntries(
        Object.entries(m.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      return { t: 'head', id, status: m.status, headers };
    }
    case 'data':
      return typeof m.chunk === 'string' ? { t: 'data', id, chunk: m.chunk } : undefined;
    case 'end':
      if (!optionalString(m.chunk)) return undefined;
      return m.chunk === undefined ? { t: 'end', id } : { t: 'end', id, chunk: m.chunk };
    case 'destroy':
      return { t: 'destroy', id };
    case 'abort':
      return typeof m.from === 'string' ? { t: 'abort', id, from: m.from } : undefined;
    default:
      return undefined;
  }
}
