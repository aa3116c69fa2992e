import { describe, expect, it } from 'vitest';
import { resolveApp } from '../app-config.js';
import { signWithSecret, verifyChannelAuth, verifyUserAuth } from './authorizer.js';

// Spec §6.2 vectors: key 278d425bdf160c739803, secret 7ad3773142a6692b25b8, socket 1234.1234.
const app = resolveApp({ id: '3', key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' });
const socketId = '1234.1234';

describe('authorizer', () => {
  it('reproduces the private-channel vector and accepts it', () => {
    const expected = '58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4';
    expect(signWithSecret(app.secret, `${socketId}:private-foobar`)).toBe(expected);
    expect(verifyChannelAuth(app, socketId, 'private-foobar', `${app.key}:${expected}`).ok).toBe(true);
  });

  it('reproduces the presence vector (channel_data signed verbatim)', () => {
    const channelData = '{"user_id":10,"user_info":{"name":"Mr. Channels"}}';
    const expected = '31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80';
    expect(
      verifyChannelAuth(app, socketId, 'presence-foobar', `${app.key}:${expected}`, channelData).ok,
    ).toBe(true);
    expect(
      verifyChannelAuth(
        app,
        socketId,
        'presence-foobar',
        `${app.key}:${expected}`,
        channelData.replace('10', '11'),
      ).ok,
    ).toBe(false);
  });

  it('reproduces the user sign-in vector', () => {
    const expected = '4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba';
    expect(verifyUserAuth(app, socketId, `${app.key}:${expected}`, '{"id":"12345"}').ok).toBe(true);
  });

  it('refuses a wrong signature with the string that should have been signed', () => {
    const result = verifyChannelAuth(app, socketId, 'private-foobar', `${app.key}:${'0'.repeat(64)}`);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.reason).toContain(
        'Invalid signature: Expected HMAC SHA256 hex digest of 1234.1234:private-foobar',
      );
  });

  it('refuses a token for another key, a malformed token and a missing one', () => {
    const signature = signWithSecret(app.secret, `${socketId}:private-foobar`);
    expect(verifyChannelAuth(app, socketId, 'private-foobar', `other:${signature}`).ok).toBe(false);
    expect(verifyChannelAuth(app, socketId, 'private-foobar', signature).ok).toBe(false);
    expect(verifyChannelAuth(app, socketId, 'private-foobar', undefined).ok).toBe(false);
    expect(
      verifyChannelAuth(app, socketId, 'private-foobar', `${app.key}:${signature.slice(0, 10)}`).ok,
    ).toBe(false);
  });

  it('accepts an upper-case hex signature', () => {
    const signature = signWithSecret(app.secret, `${socketId}:private-foobar`).toUpperCase();
    expect(verifyChannelAuth(app, socketId, 'private-foobar', `${app.key}:${signature}`).ok).toBe(true);
  });
});
