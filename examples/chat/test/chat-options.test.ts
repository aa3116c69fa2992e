import { describe, expect, it } from 'vitest';
import { chatDefaults, chatOptionsFromEnv } from '../src/chat-options.js';

describe('chatOptionsFromEnv', () => {
  it('uses the defaults for an empty environment', () => {
    expect(chatOptionsFromEnv({})).toEqual({ ok: true, options: chatDefaults });
  });

  it('reads PORT, HOST, the app credentials and TETHER_REDIS_URL', () => {
    const env = {
      PORT: '8080',
      HOST: '0.0.0.0',
      TETHER_APP_ID: 'id',
      TETHER_APP_KEY: 'key',
      TETHER_APP_SECRET: 'secret',
      TETHER_REDIS_URL: 'redis://127.0.0.1:6379',
    };
    expect(chatOptionsFromEnv(env)).toEqual({
      ok: true,
      options: {
        ...chatDefaults,
        port: 8080,
        host: '0.0.0.0',
        app: { id: 'id', key: 'key', secret: 'secret' },
        redisUrl: 'redis://127.0.0.1:6379',
      },
    });
  });

  it.each(['http', '-1', '70000', '3000.5'])('reports PORT=%s instead of guessing', (port) => {
    const result = chatOptionsFromEnv({ PORT: port });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('PORT') });
  });
});
