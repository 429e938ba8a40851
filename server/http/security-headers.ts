// The headers every page and route the proxy sees is sent with (proxy.ts applies them; the static
// ones that need no request are in next.config.mjs).

/**
 * A fresh nonce per response: Next puts it on its own inline and bundle scripts (it reads it
 * from the request's CSP header), and 'strict-dynamic' lets those load the chunks they need, so
 * no other inline script runs. Styles keep 'unsafe-inline': Recharts and React set style
 * attributes, which a nonce cannot cover, and a style cannot run code. 'unsafe-eval' only in
 * development, where React's refresh needs it. Log lines are rendered as text (never as markup);
 * this is the second line of defence if that ever slips.
 */
export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Behind sign-in, nothing may sit in a shared cache (a proxy or CDN would serve it to anyone). */
export const CACHE_CONTROL = 'private, no-store';

/** A year; sent only over TLS, where browsers heed it (over plain HTTP they must ignore it). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * Whether the browser reached us over TLS: directly (an https URL) or through a TLS-terminating
 * Ingress, which says so in X-Forwarded-Proto (its first value, for a chain of proxies).
 */
export function servedOverTls(headers: Headers, url: string): boolean {
  const forwarded = headers.get('x-forwarded-proto')?.split(',')[0].trim().toLowerCase();
  return (forwarded ?? new URL(url).protocol.replace(':', '')) === 'https';
}
