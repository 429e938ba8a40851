/**
 * Node flags for the server process. A 64 MiB young generation lets an ingest batch die young
 * instead of being promoted and swept by full collections: +14% ingest throughput, measured with
 * bench/ingest.ts on two cores, for about 100 MiB more RSS. package.json's "server" script
 * repeats them.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];
