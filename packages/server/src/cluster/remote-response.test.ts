import { describe, expect, it } from 'vitest';
import type { ForwardMessage } from './forward-messages.js';
import { RemoteResponse } from './remote-response.js';

function response(delivered = true): { res: RemoteResponse; sent: ForwardMessage[] } {
  const sent: ForwardMessage[] = [];
  const res = new RemoteResponse('r', (message) => {
    sent.push(message);
    return Promise.resolve(delivered);
  });
  return { res, sent };
}

const closed = (res: RemoteResponse): Promise<void> => new Promise((resolve) => res.on('close', resolve));

describe('RemoteResponse', () => {
  it('turns head, writes and end into messages, once each, then closes', async () => {
    const { res, sent } = response();
    const whenClosed = closed(res);
    res.writeHead(200, { a: '1' });
    res.writeHead(500, {});
    expect(res.write('x')).toBe(true);
    res.end('y');
    res.end('again');
    expect(res.write('late')).toBe(false);
    expect(res.headersSent && res.writableEnded).toBe(true);
    await whenClosed;
    expect(sent).toEqual([
      { t: 'head', id: 'r', status: 200, headers: { a: '1' } },
      { t: 'data', id: 'r', chunk: 'x' },
      { t: 'end', id: 'r', chunk: 'y' },
    ]);
  });

  it('a write with no head sends a 200 head first; destroy sends destroy and closes', async () => {
    const { res, sent } = response();
    const whenClosed = closed(res);
    res.write('x');
    res.destroy();
    await whenClosed;
    expect(sent.map((message) => message.t)).toEqual(['head', 'data', 'destroy']);
  });

  it('closes when the requesting node no longer listens', async () => {
    const { res } = response(false);
    const whenClosed = closed(res);
    res.writeHead(200, {});
    await whenClosed;
    expect(res.write('x')).toBe(false);
  });
});
