import type { Clock } from '../clock.js';

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type WebhookPostResult = { ok: true } | { ok: false; reason: string };

/** One POST to a webhook target: 2xx is success; any other status, a network error or a timeout is a failure. Never rejects. */
export async function postWebhook(
  fetchFn: typeof fetch,
  clock: Clock,
  post: WebhookPost,
  timeoutMs: number,
): Promise<WebhookPostResult> {
  const controller = new AbortController();
  const timer = clock.setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchFn(post.url, {
      method: 'POST',
      headers: post.headers,
      body: post.body,
      signal: controller.signal,
    });
    // Free the connection; the target's answer carries nothing we use.
    await response.body?.cancel().catch(() => undefined);
    return response.ok ? { ok: true } : { ok: false, reason: `status ${response.status}` };
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, reason: `no response within ${timeoutMs} ms` };
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clock.clearTimeout(timer);
  }
}
