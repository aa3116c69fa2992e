import { describe, expect, it } from 'vitest';
import { matchTriggerRoute, TriggerRoute } from './trigger-route.js';

describe('matchTriggerRoute', () => {
  it('matches the two publish endpoints in their plain form, with or without a query', () => {
    expect(matchTriggerRoute('/apps/42/events')).toEqual({ route: TriggerRoute.Events, appId: '42' });
    expect(matchTriggerRoute('/apps/my-app.1_x/batch_events?auth_key=k&body_md5=00')).toEqual({
      route: TriggerRoute.Batch,
      appId: 'my-app.1_x',
    });
    expect(matchTriggerRoute('/apps/42/events?')).toEqual({ route: TriggerRoute.Events, appId: '42' });
  });

  it.each([
    ['another endpoint', '/apps/42/channels'],
    ['a longer path', '/apps/42/events/more'],
    ['a trailing slash', '/apps/42/events/'],
    ['upper case', '/APPS/42/events'],
    ['an upper-case endpoint', '/apps/42/EVENTS'],
    ['an empty id', '/apps//events'],
    ['a percent-escape in the id', '/apps/4%32/events'],
    ['a hash in the id', '/apps/4#2/events'],
    ['a space in the id', '/apps/4 2/events'],
    ['a non-ASCII id', '/apps/é/events'],
    ['no endpoint', '/apps/42'],
    ['the query mark inside the id', '/apps/42?/events'],
    ['a mount prefix still on the URL', '/tether/apps/42/events'],
    ['a suffix that only starts right', '/apps/42/eventsx'],
  ])('leaves %s to express (%s)', (_what, url) => {
    expect(matchTriggerRoute(url)).toBeUndefined();
  });
});
