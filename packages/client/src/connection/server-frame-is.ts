import type { PusherEventName, ServerFrame } from '@tether/protocol';

export type ServerFrameOf<E extends PusherEventName> = Extract<ServerFrame, { event: E }>;

/**
 * Narrows a decoded server frame to one protocol event. (`ServerFrame` includes app events whose
 * `event` is any string, so comparing `event` alone does not narrow.)
 */
export const serverFrameIs = <E extends PusherEventName>(
  frame: ServerFrame,
  event: E,
): frame is ServerFrameOf<E> => frame.event === event;
