// Streamed responses: an async generator of text becomes a body that stops the generator (and
// with it the query it is running) when the client goes away.
const encoder = new TextEncoder();

/** `onError` gives the stream's last words on an error, or null to break it off. */
export function streamOf(chunks: AsyncGenerator<string>, onError: (err: unknown) => string | null = () => null): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (err) {
        // Headers are gone; all a stream can do is say so in its own format, then end, or, where
        // the format has no way to say it, break off so the client sees a failed transfer.
        const last = onError(err);
        if (last === null) {
          // As an abort: Next then ends the response without logging a "failed to pipe" crash
          // with its stack for what the caller has already reported.
          controller.error(new DOMException(err instanceof Error ? err.message : String(err), 'AbortError'));
          return;
        }
        controller.enqueue(encoder.encode(last));
        controller.close();
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** One Server-Sent Events message; `data` is JSON on one line. */
/** `id` (no line breaks: a key this server made) is what the browser sends back as Last-Event-ID when it reconnects. */
export function sseEvent(event: string, data: unknown, id?: string): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n${id === undefined ? '' : `id: ${id}\n`}\n`;
}
