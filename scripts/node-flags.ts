/**
 * Node flags for the server process. A young generation of 16 MiB semi-spaces: bigger ones (64)
 * let more of an ingest batch die young, which once bought direct posts some throughput, but the
 * collector's backfill of a week gains nothing from it while the server's peak RSS carries the
 * extra young generation. package.json's "server" script, the Dockerfile and
 * deployment/base/server.yaml repeat them.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16'];

/**
 * The server's environment. DuckDB's threads, libuv's pool and Node's main thread each get a
 * glibc malloc arena of their own by default (up to eight per core), and memory freed in one
 * stays reserved to it: two arenas hold a backfill's peak lower for the same work. Read by glibc
 * at the process's start, so it is set where the process is spawned (same places as above); a value
 * already in the environment wins.
 */
export function serverEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return { MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2' };
}
