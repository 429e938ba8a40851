/** @type {import('next').NextConfig} */
const nextConfig = {
  // DuckDB is a native addon: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ['@duckdb/node-api', '@duckdb/node-bindings'],
  poweredByHeader: false,
  reactStrictMode: true,
  // The repository is the root; without this Next may guess a parent folder with a lockfile.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
