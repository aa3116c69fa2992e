import type { IncomingMessage } from 'node:http';

/** `too_large`: answer 413. `aborted`: the client went away mid-body; nothing to answer. */
export type RequestBodyResult = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' };

/** A request that an earlier body parser (express.json, express.text) may already have read. */
export type BodyRequest = IncomingMessage & { body?: unknown };

/**
 * Reads a send request's body as UTF-8 text, refusing more than `maxBytes`. When an app mounted a body
 * parser before the router, its result is used instead (re-serialised when it parsed JSON). Never rejects.
 */
export function readRequestBody(req: BodyRequest, maxBytes: number): Promise<RequestBodyResult> {
  const parsed = req.body;
  if (parsed !== undefined) {
    const text =
      typeof parsed === 'string'
        ? parsed
        : Buffer.isBuffer(parsed)
          ? parsed.toString('utf8')
          : JSON.stringify(parsed);
    return Promise.resolve(
      Buffer.byteLength(text) > maxBytes ? { ok: false, reason: 'too_large' } : { ok: true, text },
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.resolve({ ok: false, reason: 'too_large' });
  if (req.readableEnded) return Promise.resolve({ ok: true, text: '' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: RequestBodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > maxBytes) {
        req.resume();
        settle({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => settle({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    const onError = (): void => settle({ ok: false, reason: 'aborted' });
    const onClose = (): void => settle({ ok: false, reason: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
