import { encodeSockjsArray, encodeSockjsClose, SOCKJS_HEARTBEAT } from '@tether/protocol';
import { headersByLength, type PollFraming } from './http-poll-receiver.js';
import { CORS_HEADERS, NO_STORE } from './http-response.js';
import type { HttpSession } from './http-session.js';
import { sharedEncoder } from './http-shared-chunk.js';
import { SOCKJS_RESPONSE_HEADERS } from './sockjs-streaming.js';

const encodeSockjsArrayShared = sharedEncoder(encodeSockjsArray);

/**
 * pusher-js `xhr_polling`: each poll is held until frames are queued (answered `a[...]`, plus `c[...]`
 * once the session is closed) or the hold time passes (answered `h`). Always 200: any other status
 * makes the client drop the connection (spec §7.4.4).
 */
export const sockjsPollFraming: PollFraming = {
  headers: headersByLength((contentLength) => ({
    ...CORS_HEADERS,
    ...NO_STORE,
    ...SOCKJS_RESPONSE_HEADERS,
    'Content-Length': contentLength,
  })),
  answer(session: HttpSession) {
    const frames = session.queue.takeAll();
    const closing = session.closing;
    if (frames.length === 0 && closing === null) return null;
    return (
      (frames.length > 0 ? encodeSockjsArrayShared(frames) : '') +
      (closing ? encodeSockjsClose(closing.code, closing.reason) : '')
    );
  },
  idle: () => SOCKJS_HEARTBEAT,
};
