# One image for both roles. The server (the default command) is Next's standalone output, which
# holds only the files the server traces, with our entry logpond-server.mjs (it stamps each
# request's peer address and closes the store on SIGTERM); the collector is one bundled file,
# dist/collector.mjs, run by the DaemonSet with the flags in package.json's "collector" script.
# scripts/standalone.integration.test.ts runs exactly this directory (no engine on CI to build it).
# Debian slim, not Alpine: DuckDB's native binding is built against glibc.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
# next build, then scripts/build-standalone.mjs completes .next/standalone.
RUN npm run build

FROM node:24-slim
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="logpond" \
      org.opencontainers.image.description="Kubernetes logs, searchable, in one small app" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/logpond/logpond" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 LOGPOND_HOST=0.0.0.0 LOGPOND_DATA_DIR=/data PORT=3000 MALLOC_ARENA_MAX=2
# Owned by root and not writable by the user that runs it: the code cannot be changed at run time.
COPY --from=build /app/.next/standalone /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# scripts/node-flags.ts explains the flag and MALLOC_ARENA_MAX above (the server's peak memory).
CMD ["node", "--max-semi-space-size=16", "logpond-server.mjs"]
