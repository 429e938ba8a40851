// Fake HTTP traffic shared by the kinds that log requests, so that an ingress line, a sidecar line
// and an app line look like the same kind of shop.

import { chance, hex, int, pick, pickSkewed, type Rng } from '../rng';
import type { Level } from './emit';

export interface FakeRequest {
  method: string;
  path: string;
  /** The path without its query string, as routers log it. */
  route: string;
  status: number;
  latencyMs: number;
  bytes: number;
  userId: number;
  traceId: string;
  clientIp: string;
  userAgent: string;
}

type PathMaker = (rng: Rng) => string;

const SEARCH_TERMS = ['shoes', 'rain jacket', 'café crème', 'usb-c cable', 'größe 42', 'headphones', 'tent', 'müsli', 'socks'];
const CATEGORIES = ['shoes', 'outdoor', 'electronics', 'kitchen', 'books', 'toys'];

const id = (rng: Rng) => String(int(rng, 1000, 99_999));
const skewedId = (rng: Rng) => String(1000 + ((rng() * rng() * rng() * 5000) | 0));

const PATHS: Record<string, PathMaker[]> = {
  storefront: [
    (r) => `/products/${skewedId(r)}`,
    () => '/',
    (r) => `/api/products/${skewedId(r)}`,
    (r) => `/api/search?q=${encodeURIComponent(pickSkewed(r, SEARCH_TERMS))}`,
    () => '/cart',
    (r) => `/_next/static/chunks/${hex(r, 16)}.js`,
    () => '/healthz',
  ],
  checkout: [
    () => '/api/checkout',
    (r) => `/api/orders/${id(r)}`,
    (r) => `/api/checkout/${id(r)}/confirm`,
    () => '/healthz',
  ],
  catalog: [
    (r) => `/api/v1/products/${skewedId(r)}`,
    (r) => `/api/v1/products?category=${pick(r, CATEGORIES)}&page=${int(r, 1, 9)}`,
    () => '/api/v1/categories',
    () => '/actuator/health',
  ],
  'payment-gateway': [
    () => '/v1/payments',
    (r) => `/v1/payments/pay_${hex(r, 12)}/capture`,
    () => '/v1/refunds',
    () => '/actuator/health',
  ],
  'auth-api': [
    () => '/oauth/token',
    () => '/api/session',
    (r) => `/api/users/${skewedId(r)}`,
    () => '/oauth/authorize',
    () => '/.well-known/openid-configuration',
    () => '/healthz',
  ],
  grafana: [
    () => '/api/ds/query',
    (r) => `/api/dashboards/uid/${hex(r, 9)}`,
    () => '/api/search',
    () => '/api/health',
  ],
};

const DEFAULT_PATHS: PathMaker[] = [
  (r) => `/api/v1/items/${skewedId(r)}`,
  () => '/api/v1/items',
  (r) => `/api/v1/items/${id(r)}/events`,
  () => '/healthz',
  () => '/metrics',
];

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'kube-probe/1.31',
  'okhttp/4.12.0',
  'Go-http-client/2.0',
  'curl/8.5.0',
];

const INFO_STATUSES = [200, 200, 200, 200, 200, 200, 201, 204, 304, 302];
const WARN_STATUSES = [404, 404, 400, 401, 403, 409, 422, 429];
const ERROR_STATUSES = [500, 502, 503, 503, 504];

function statusFor(rng: Rng, level: Level): number {
  if (level === 'error') return pick(rng, ERROR_STATUSES);
  if (level === 'warn') return pick(rng, WARN_STATUSES);
  return pick(rng, INFO_STATUSES);
}

/** Long-tailed, like real latencies: mostly a few ms, now and then seconds; timeouts when failing. */
function latencyFor(rng: Rng, level: Level, status: number): number {
  if (status === 504) return 30_000 + int(rng, 0, 50);
  const base = 1 + Math.exp(rng() * 5.5) * (level === 'error' ? 4 : 1);
  return Math.round(base * 10) / 10;
}

export function traceId(rng: Rng): string {
  return hex(rng, 32);
}

export function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

export function podIp(rng: Rng): string {
  return `10.244.${int(rng, 0, 5)}.${int(rng, 2, 254)}`;
}

/** Documentation address ranges, so the fake clients are nobody real. */
export function publicIp(rng: Rng): string {
  return `${pick(rng, ['203.0.113', '198.51.100', '192.0.2'])}.${int(rng, 1, 254)}`;
}

export function fakeRequest(rng: Rng, service: string, level: Level): FakeRequest {
  const path = pickSkewed(rng, PATHS[service] ?? DEFAULT_PATHS)(rng);
  const q = path.indexOf('?');
  const route = q === -1 ? path : path.slice(0, q);
  const write = route.endsWith('/capture') || route === '/api/checkout' || route.startsWith('/oauth/token') || route === '/v1/refunds';
  const method = write ? 'POST' : chance(rng, 0.06) ? pick(rng, ['PUT', 'DELETE', 'PATCH']) : 'GET';
  const status = statusFor(rng, level);
  return {
    method,
    path,
    route,
    status,
    latencyMs: latencyFor(rng, level, status),
    bytes: status === 204 || status === 304 ? 0 : int(rng, 80, 24_000),
    userId: 1 + ((rng() * rng() * 5000) | 0),
    traceId: traceId(rng),
    clientIp: publicIp(rng),
    userAgent: pickSkewed(rng, USER_AGENTS),
  };
}
