// Opens the store when the server boots rather than on the first request, so seal and retention
// run from the start. A failure is logged (by getRuntime) and not thrown: Next would otherwise
// fail every request, while the routes answer 503 and retry the open themselves.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getRuntime } = await import('./app/api/runtime');
  await getRuntime().catch(() => undefined);
}
