import express, { type Router } from 'express';
import { formatAuthToken, isValidSocketId, subscriptionStringToSign } from '@tether/protocol';
import { signWithSecret } from '@tether/server';
import { checkName, checkUserId, ChatErrorCode } from './chat-input.js';
import { HttpStatus, sendChatError } from './chat-error.js';
import { roomOfChannel } from './room-channel.js';

export interface AuthRouteOptions {
  app: { key: string; secret: string };
}

/** Form bodies are a few hundred bytes; anything larger is not a browser joining a room. */
const AUTH_BODY_LIMIT = '4kb';

/**
 * `POST /auth`: the channel authorization endpoint the page's Tether client calls, with the form
 * body pusher-js sends (`socket_id`, `channel_name`) plus the page's own `name` and `user_id`.
 * The example has no accounts: whoever asks may join any room under the name they picked. A real
 * app checks its session here and takes the user id and name from it instead.
 */
export function authRoute(options: AuthRouteOptions): Router {
  const router = express.Router();
  router.post('/auth', express.urlencoded({ extended: false, limit: AUTH_BODY_LIMIT }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const socketId = body.socket_id;
    if (!isValidSocketId(socketId)) {
      sendChatError(res, HttpStatus.BadRequest, {
        code: ChatErrorCode.InvalidSocketId,
        message: 'socket_id must look like 1234.5678',
      });
      return;
    }
    const room = roomOfChannel(body.channel_name);
    if (!room.ok) {
      sendChatError(res, HttpStatus.Forbidden, room.error);
      return;
    }
    const name = checkName(body.name);
    if (!name.ok) {
      sendChatError(res, HttpStatus.BadRequest, name.error);
      return;
    }
    const userId = checkUserId(body.user_id);
    if (!userId.ok) {
      sendChatError(res, HttpStatus.BadRequest, userId.error);
      return;
    }
    const channel = body.channel_name as string;
    const channelData = JSON.stringify({ user_id: userId.value, user_info: { name: name.value } });
    const signature = signWithSecret(
      options.app.secret,
      subscriptionStringToSign(socketId, channel, channelData),
    );
    res.json({ auth: formatAuthToken(options.app.key, signature), channel_data: channelData });
  });
  return router;
}
