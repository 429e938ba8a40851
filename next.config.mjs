// Security headers that need nothing from the request, on every page and route. The Content
// Security Policy carries a nonce per request, so proxy.ts sets it (with Cache-Control and HSTS).
// Referrer: `same-origin`, not `no-referrer`: a form post then carries this site's Origin, which
// the login's cross-site check needs where the browser sends no Sec-Fetch-Site (plain HTTP on a
// non-loopback address); other sites still learn nothing, not even the origin.
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  headers: async () => [
    { source: '/:path*', headers: securityHeaders },
    // What proxy.ts does not see (its matcher) serves JSON, text and build assets, never a
    // document that should run anything: a policy that allows nothing.
    ...['/api/ingest', '/v1/logs', '/loki/api/v1/push', '/ready', '/api/healthz', '/api/metrics', '/_next/static/:path*', '/favicon.ico'].map((source) => ({
      source,
      headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
    })),
  ],
  // DuckDB is a native addon: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ['@duckdb/node-api', '@duckdb/node-bindings'],
  poweredByHeader: false,
  // No page uses next/image: without this, /_next/image fetched and resized any image on the
  // site on request (and answered 500 for one behind sign-in); now it answers 404.
  images: { unoptimized: true },
  // The image runs .next/standalone: the server with only the files it traces (115 MB, 70 of
  // them DuckDB's library, instead of node_modules' 640), completed by scripts/build-standalone.mjs.
  output: 'standalone',
  // duckdb.node loads libduckdb.so beside it with dlopen, which file tracing cannot see.
  outputFileTracingIncludes: { '/**': ['./node_modules/@duckdb/node-bindings-*/**'] },

  // Unminified server code: the minifier turned each single-use helper of the per-line ingest
  // code into a function expression called where it was used, a new closure on every line, and
  // V8 compiled those closures again several times a second for as long as lines arrived.
  experimental: { serverMinification: false },
  reactStrictMode: true,
  // The repository is the root; without this Next may guess a parent folder with a lockfile.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
