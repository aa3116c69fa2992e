/**
 * Validation of everything a browser sends the chat backend. Nothing here throws: each check returns
 * the clean value or an error with a stable code, which the routes turn into a 400 JSON body.
 */

export const chatLimits = {
  roomMaxLength: 40,
  nameMaxLength: 32,
  textMaxLength: 500,
  userIdMinLength: 8,
  userIdMaxLength: 64,
} as const;

export const ChatErrorCode = {
  InvalidRoom: 'invalid_room',
  InvalidName: 'invalid_name',
  InvalidText: 'invalid_text',
  InvalidUserId: 'invalid_user_id',
  InvalidSocketId: 'invalid_socket_id',
  InvalidChannel: 'invalid_channel',
  InvalidBody: 'invalid_body',
  BodyTooLarge: 'body_too_large',
  PublishFailed: 'publish_failed',
  NotFound: 'not_found',
} as const;
export type ChatErrorCode = (typeof ChatErrorCode)[keyof typeof ChatErrorCode];

export interface ChatInputError {
  code: ChatErrorCode;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ChatInputError };

const ROOM_PATTERN = /^[A-Za-z0-9_-]+$/;
const USER_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const CONTROL = { c0End: 0x1f, delete: 0x7f, c1End: 0x9f, tab: 0x09, newline: 0x0a } as const;

/** C0/C1 control characters (a name is one line; a message may hold tabs and newlines). */
function hasControlChars(text: string, allowLineBreaks: boolean): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (allowLineBreaks && (code === CONTROL.tab || code === CONTROL.newline)) continue;
    if (code <= CONTROL.c0End || (code >= CONTROL.delete && code <= CONTROL.c1End)) return true;
  }
  return false;
}

const fail = (code: ChatErrorCode, message: string): { ok: false; error: ChatInputError } => ({
  ok: false,
  error: { code, message },
});

export function checkRoom(value: unknown): Checked<string> {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > chatLimits.roomMaxLength ||
    !ROOM_PATTERN.test(value)
  ) {
    return fail(
      ChatErrorCode.InvalidRoom,
      `room must be 1-${chatLimits.roomMaxLength} letters, digits, "-" or "_"`,
    );
  }
  return { ok: true, value };
}

export function checkName(value: unknown): Checked<string> {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name.length === 0 || name.length > chatLimits.nameMaxLength || hasControlChars(name, false)) {
    return fail(ChatErrorCode.InvalidName, `name must be 1-${chatLimits.nameMaxLength} visible characters`);
  }
  return { ok: true, value: name };
}

export function checkText(value: unknown): Checked<string> {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || text.length > chatLimits.textMaxLength || hasControlChars(text, true)) {
    return fail(ChatErrorCode.InvalidText, `text must be 1-${chatLimits.textMaxLength} characters`);
  }
  return { ok: true, value: text };
}

export function checkUserId(value: unknown): Checked<string> {
  if (
    typeof value !== 'string' ||
    value.length < chatLimits.userIdMinLength ||
    value.length > chatLimits.userIdMaxLength ||
    !USER_ID_PATTERN.test(value)
  ) {
    return fail(
      ChatErrorCode.InvalidUserId,
      `user_id must be ${chatLimits.userIdMinLength}-${chatLimits.userIdMaxLength} letters, digits, "-" or "_"`,
    );
  }
  return { ok: true, value };
}

export interface MessageInput {
  room: string;
  userId: string;
  name: string;
  text: string;
}

/** The body of `POST /messages`; the first problem found is reported. */
export function checkMessageInput(body: unknown): Checked<MessageInput> {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const room = checkRoom(fields.room);
  if (!room.ok) return room;
  const userId = checkUserId(fields.userId);
  if (!userId.ok) return userId;
  const name = checkName(fields.name);
  if (!name.ok) return name;
  const text = checkText(fields.text);
  if (!text.ok) return text;
  return { ok: true, value: { room: room.value, userId: userId.value, name: name.value, text: text.value } };
}
