import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/** What a response ended with. */
export interface PlainAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * A plain Node `ServerResponse` for unit tests: a real one, over an unconnected socket, so nothing is
 * sent anywhere; `answer()` reads back what the code under test ended it with.
 */
export function plainResponse(method = 'POST'): { res: ServerResponse; answer(): PlainAnswer } {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  const res = new ServerResponse(req);
  let ended: unknown;
  const end = res.end.bind(res);
  res.end = ((chunk?: unknown) => {
    ended = chunk;
    return end();
  }) as ServerResponse['end'];
  return {
    res,
    answer() {
      if (!res.writableEnded) throw new Error('the response was not ended');
      const body = Buffer.isBuffer(ended) ? ended.toString('utf8') : typeof ended === 'string' ? ended : '';
      return { status: res.statusCode, headers: res.getHeaders(), body };
    },
  };
}
