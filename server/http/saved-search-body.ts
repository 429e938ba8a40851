// The body of POST /api/saved-searches, `{name, view}`: read within a byte limit, parsed, and
// checked, with a 400 naming the first bad part. `view` is the page's to define; the server
// only bounds it, stores it and gives it back.
import { z } from 'zod';
import { BadRequestError } from '../errors';
import { readBody } from '../ingest/read-body';

export const MAX_NAME_CHARS = 100;
/** A view holds a query, a range, filters and columns; 16 KiB is generous and keeps lists small. */
export const MAX_VIEW_BYTES = 16 * 1024;
/** Bytes read at most: the view, the name and their quoting. A longer body is a 413. */
export const MAX_BODY_BYTES = 4 * MAX_VIEW_BYTES;
/** Nesting a view may have; checked before anything walks it recursively (JSON.stringify does). */
export const MAX_VIEW_DEPTH = 32;

const bodySchema = z.strictObject({
  name: z
    .string('expected a string')
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_NAME_CHARS, `expected at most ${MAX_NAME_CHARS} characters`)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not hold control characters'),
  view: z.record(z.string(), z.unknown(), 'expected a JSON object'),
});

export interface SavedSearchBody {
  name: string;
  view: Record<string, unknown>;
}

export async function readSavedSearchBody(request: Request): Promise<SavedSearchBody> {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    throw new BadRequestError('expected a JSON body (Content-Type: application/json)', 'invalid_body');
  }
  const { bytes } = await readBody(request, MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new BadRequestError('the body is not valid JSON', 'invalid_body');
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequestError(`${issue.path.join('.') || 'body'}: ${issue.message}`, 'invalid_body');
  }
  // The parsed JSON itself, not zod's copy: a `__proto__` key stays an ordinary key.
  const view = (json as { view: Record<string, unknown> }).view;
  if (depthOver(view, MAX_VIEW_DEPTH)) throw new BadRequestError(`view: nested deeper than ${MAX_VIEW_DEPTH} levels`, 'invalid_body');
  if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) {
    throw new BadRequestError(`view: larger than ${MAX_VIEW_BYTES} bytes as JSON`, 'invalid_body');
  }
  return { name: parsed.data.name, view };
}

/** Whether `value` nests deeper than `limit` objects or arrays; iterative, so no input overflows the stack. */
function depthOver(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
