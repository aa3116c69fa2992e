import express, { type Router } from 'express';
import { checkMessageInput, checkRoom, ChatErrorCode } from './chat-input.js';
import { HttpStatus, sendChatError } from './chat-error.js';
import type { ChatMessage, RecentMessages } from './recent-messages.js';
import { ChatEvent, roomChannel } from './room-channel.js';

export interface MessageRoutesOptions {
  history: RecentMessages;
  /** Publishes through the Tether server API: the backend, not the sender, decides what was said. */
  publish(channel: string, event: string, data: string): Promise<void>;
  now(): number;
  nextId(): string;
}

/** A message is at most 500 characters; the JSON around it is small. */
const MESSAGE_BODY_LIMIT = '8kb';

/**
 * `POST /messages` `{ room, userId, name, text }`: validated (400 JSON on bad input), stored in the
 * room's recent history, then published to the room's presence channel as a `message` event, and
 * answered with the stored message (201). `GET /rooms/:room/messages`: the room's recent history.
 */
export function messageRoutes(options: MessageRoutesOptions): Router {
  const router = express.Router();

  router.post('/messages', express.json({ limit: MESSAGE_BODY_LIMIT }), async (req, res) => {
    if (!req.is('application/json')) {
      sendChatError(res, HttpStatus.UnsupportedMediaType, {
        code: ChatErrorCode.InvalidBody,
        message: 'send JSON',
      });
      return;
    }
    const input = checkMessageInput(req.body);
    if (!input.ok) {
      sendChatError(res, HttpStatus.BadRequest, input.error);
      return;
    }
    const message: ChatMessage = { id: options.nextId(), ...input.value, at: options.now() };
    options.history.add(message);
    try {
      await options.publish(roomChannel(message.room), ChatEvent.Message, JSON.stringify(message));
    } catch {
      sendChatError(res, HttpStatus.ServiceUnavailable, {
        code: ChatErrorCode.PublishFailed,
        message: 'stored, but could not be sent to the room',
      });
      return;
    }
    res.status(HttpStatus.Created).json({ message });
  });

  router.get('/rooms/:room/messages', (req, res) => {
    const room = checkRoom(req.params.room);
    if (!room.ok) {
      sendChatError(res, HttpStatus.BadRequest, room.error);
      return;
    }
    res.json({ room: room.value, messages: options.history.of(room.value) });
  });

  return router;
}
