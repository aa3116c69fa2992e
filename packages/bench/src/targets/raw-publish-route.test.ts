import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeRawPublish, type RawPublish } from '../wire/raw-http.js';
import { handleRawPublishRequest, RawPublishStatus } from './raw-publish-route.js';

const MAX = 64;

function request(method: string, url: string, body: string, declareLength = true) {
  const req = Object.assign(new PassThrough(), {
    method,
    url,
    headers: declareLength ? { 'content-length': String(Buffer.byteLength(body)) } : {},
  });
  req.end(body);
  return req;
}

async function answer(req: ReturnType<typeof request>) {
  const published: RawPublish[] = [];
  const statuses: number[] = [];
  let ended = 0;
  await handleRawPublishRequest(
    req,
    {
      writeHead: (status) => {
        statuses.push(status);
        return { end: () => void ended++ };
      },
    },
    (publish) => published.push(publish),
    MAX,
  );
  return { published, statuses, ended };
}

const message: RawPublish = { channel: 'bench', event: 'bench', data: '{"n":1}' };

describe('handleRawPublishRequest', () => {
  it('hands a well-formed body to publish and answers 204', async () => {
    expect(await answer(request('POST', '/publish', encodeRawPublish(message)))).toEqual({
      published: [message],
      statuses: [RawPublishStatus.Published],
      ended: 1,
    });
  });

  it('answers 400 to a malformed body and publishes nothing', async () => {
    const reply = await answer(request('POST', '/publish', '{"channel":"bench","event":"bench","data":1}'));
    expect(reply.statuses).toEqual([RawPublishStatus.Malformed]);
    expect(reply.published).toEqual([]);
  });

  it('answers 413 past the limit, declared up front or not', async () => {
    const big = encodeRawPublish({ ...message, data: 'x'.repeat(MAX) });
    for (const declared of [true, false]) {
      const reply = await answer(request('POST', '/publish', big, declared));
      expect(reply.statuses).toEqual([RawPublishStatus.TooLarge]);
      expect(reply.published).toEqual([]);
    }
  });

  it('answers 404 to any other route or method', async () => {
    const body = encodeRawPublish(message);
    for (const req of [request('GET', '/publish', ''), request('POST', '/publish/x', body)]) {
      const reply = await answer(req);
      expect(reply.statuses).toEqual([RawPublishStatus.NotFound]);
      expect(reply.published).toEqual([]);
    }
  });
});
