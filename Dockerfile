# One image for both roles: `npm run server` (the default) or the collector, whose bundle
# `npm run build` writes to dist/collector.mjs; run it as package.json's "collector" script does
# (its Node flags and MALLOC_* variables hold its memory under 100 MiB), without rebuilding:
#   MALLOC_MMAP_THRESHOLD_=65536 MALLOC_TRIM_THRESHOLD_=65536 node --max-semi-space-size=4 --max-old-space-size=96 dist/collector.mjs
# Debian slim, not Alpine: DuckDB's native binding is built against glibc.
# Not yet built or run in CI (no Docker engine there); the cluster issue hardens it
# (standalone output, no dev dependencies, manifests).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
LABEL org.opencontainers.image.title="logpond" \
      org.opencontainers.image.description="Kubernetes logs, searchable, in one small app" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 LOGPOND_HOST=0.0.0.0 LOGPOND_DATA_DIR=/data PORT=3000
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npm", "run", "server"]
