import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRawBody, type RawBodySource } from './raw-body.js';

const source = (headers: Record<string, string> = {}): PassThrough & RawBodySource =>
  Object.assign(new PassThrough(), { headers });

describe('readRawBody', () => {
  it('returns the exact bytes, across chunks', async () => {
    const req = source();
    const pending = readRawBody(req, 100);
    req.write(Buffer.from([0x7b, 0x22]));
    req.write('é"');
    req.end('}');
    const result = await pending;
    expect(result.ok && [...result.value]).toEqual([0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x7d]);
  });

  it('returns an empty buffer for no body', async () => {
    const req = source();
    const pending = readRawBody(req, 100);
    req.end();
    const result = await pending;
    expect(result.ok && result.value.length).toBe(0);
  });

  it('refuses a declared content-length over the limit without reading', async () => {
    const req = source({ 'content-length': '101' });
    const result = await readRawBody(req, 100);
    expect(result).toEqual({
      ok: false,
      failure: { status: 413, error: 'request body is larger than 100 bytes' },
    });
  });

  it('refuses a streamed body over the limit', async () => {
    const req = source();
    const pending = readRawBody(req, 10);
    req.write('0123456789');
    req.write('x');
    const result = await pending;
    expect(result.ok ? 0 : result.failure.status).toBe(413);
    req.end('more data is drained, not stored');
  });

  it('accepts a body of exactly the limit', async () => {
    const req = source();
    const pending = readRawBody(req, 10);
    req.end('0123456789');
    expect((await pending).ok).toBe(true);
  });

  it('answers 400 when the stream fails or is aborted', async () => {
    const failing = source();
    const failed = readRawBody(failing, 10);
    failing.destroy(new Error('socket hang up'));
    expect(await failed).toMatchObject({ ok: false, failure: { status: 400 } });

    const aborted = source();
    const pending = readRawBody(aborted, 10);
    aborted.destroy();
    expect(await pending).toMatchObject({ ok: false, failure: { status: 400 } });
  });

  it('answers 500 when a body parser already consumed the stream', async () => {
    const req = source();
    req.resume();
    req.end('{}');
    await new Promise((resolve) => req.once('end', resolve));
    expect(await readRawBody(req, 10)).toMatchObject({ ok: false, failure: { status: 500 } });
  });
});
