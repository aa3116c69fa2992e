import { checkRoom, ChatErrorCode, type Checked } from './chat-input.js';

/** Every room is a presence channel, so the page gets the online list for free. */
export const ROOM_CHANNEL_PREFIX = 'presence-chat-';

/** Events the backend publishes on a room channel, and the client event pages send each other. */
export const ChatEvent = {
  Message: 'message',
  Typing: 'client-typing',
} as const;

export const roomChannel = (room: string): string => `${ROOM_CHANNEL_PREFIX}${room}`;

/** The room behind a channel name, when the name is one of ours. */
export function roomOfChannel(channel: unknown): Checked<string> {
  if (typeof channel !== 'string' || !channel.startsWith(ROOM_CHANNEL_PREFIX)) {
    return {
      ok: false,
      error: {
        code: ChatErrorCode.InvalidChannel,
        message: `channel_name must be ${ROOM_CHANNEL_PREFIX}<room>`,
      },
    };
  }
  const room = checkRoom(channel.slice(ROOM_CHANNEL_PREFIX.length));
  if (!room.ok)
    return { ok: false, error: { code: ChatErrorCode.InvalidChannel, message: room.error.message } };
  return room;
}
