// HTTP for the shippers' ingest routes (POST /v1/logs, POST /loki/api/v1/push): which decoder a
// Content-Type selects, and answers in the form each protocol's clients read. The OpenTelemetry
// Collector and SDKs parse an OTLP answer's body (an ExportLogsServiceResponse on success, a
// google.rpc.Status on failure) in the request's own encoding; Loki's clients want 204 and log
// any error body as text. Both retry 429 and 503 after Retry-After.
import type { ProtocolFormat } from '../ingest/protocols/decode-protocol';
import { UnsupportedMediaTypeError } from '../errors';
import { errorAnswer } from './error-response';

/** Seconds a shipper should wait after a 503 that names no time of its own (storage unavailable). */
const UNAVAILABLE_RETRY_SECONDS = 5;

function mediaType(headers: Headers): string {
  return (headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

export function otlpFormatOf(headers: Headers): ProtocolFormat {
  const type = mediaType(headers);
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'otlp-proto';
  if (type === 'application/json') return 'otlp-json';
  throw new UnsupportedMediaTypeError(`OTLP/HTTP takes application/x-protobuf or application/json, not "${type || 'no Content-Type'}"`);
}

/** Loki's own server reads a body without a Content-Type as protobuf; so does this. */
export function lokiFormatOf(headers: Headers): ProtocolFormat {
  const type = mediaType(headers);
  if (type === '' || type === 'application/x-protobuf' || type === 'application/protobuf') return 'loki-proto';
  if (type === 'application/json') return 'loki-json';
  throw new UnsupportedMediaTypeError(`Loki push takes application/x-protobuf (snappy-compressed) or application/json, not "${type}"`);
}

/** Whether an OTLP request (even one refused for its Content-Type) is answered in JSON. */
function otlpAnswersInJson(headers: Headers): boolean {
  return mediaType(headers) === 'application/json';
}

const NO_STORE = { 'cache-control': 'no-store, no-transform' };

/** A stored OTLP request: an empty ExportLogsServiceResponse, which means every record was taken. */
export function otlpSuccess(requestHeaders: Headers): Response {
  return otlpAnswersInJson(requestHeaders)
    ? new Response('{}', { status: 200, headers: { ...NO_STORE, 'content-type': 'application/json' } })
    : new Response(new Uint8Array(0), { status: 200, headers: { ...NO_STORE, 'content-type': 'application/x-protobuf' } });
}

/** gRPC status codes for the HTTP statuses ingest answers (OTLP's Status.code). */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 413: 8, 415: 3, 429: 8, 503: 14 };

export function otlpFailure(err: unknown, requestHeaders: Headers): Response {
  const { status, body, headers } = errorAnswer(err);
  const code = GRPC_CODE[status] ?? 13;
  const message = body.error.message;
  const answerHeaders = { ...NO_STORE, ...retryAfter(status, headers) };
  if (otlpAnswersInJson(requestHeaders)) {
    return new Response(JSON.stringify({ code, message }), { status, headers: { ...answerHeaders, 'content-type': 'application/json' } });
  }
  return new Response(statusProto(code, message), { status, headers: { ...answerHeaders, 'content-type': 'application/x-protobuf' } });
}

export function lokiSuccess(): Response {
  return new Response(null, { status: 204, headers: NO_STORE });
}

export function lokiFailure(err: unknown): Response {
  const { status, body, headers } = errorAnswer(err);
  return Response.json(body, { status, headers: { ...NO_STORE, ...retryAfter(status, headers) } });
}

function retryAfter(status: number, headers: Record<string, string> | undefined): Record<string, string> {
  if (headers?.['retry-after']) return headers;
  return status === 503 ? { ...headers, 'retry-after': String(UNAVAILABLE_RETRY_SECONDS) } : { ...headers };
}

/** google.rpc.Status { int32 code = 1; string message = 2; } */
export function statusProto(code: number, message: string): Uint8Array<ArrayBuffer> {
  const text = Buffer.from(message, 'utf8');
  return new Uint8Array(Buffer.concat([Buffer.from([0x08, code]), Buffer.from([0x12]), varint(text.length), text]));
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}
