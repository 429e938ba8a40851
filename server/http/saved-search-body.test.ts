import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_VIEW_BYTES, readSavedSearchBody } from './saved-search-body';

const post = (body: string, contentType = 'application/json') =>
  new Request('http://logpond.test/api/saved-searches', { method: 'POST', headers: { 'content-type': contentType }, body });

describe('the saved search body', () => {
  it('takes a name and a JSON object, the name trimmed', async () => {
    const view = { q: 'level:error', from: 'now-1h', to: 'now', filters: [], columns: ['pod'], extra: { any: [1, null] } };
    expect(await readSavedSearchBody(post(JSON.stringify({ name: '  Errors ', view }), 'application/json; charset=utf-8'))).toEqual({ name: 'Errors', view });
  });

  it.each([
    { body: '{"name": "x", "view": {}', message: 'the body is not valid JSON' },
    { body: '[]', message: 'body: Invalid input: expected object, received array' },
    { body: '{"view": {}}', message: 'name: expected a string' },
    { body: '{"name": "   ", "view": {}}', message: 'name: must not be empty' },
    { body: JSON.stringify({ name: 'x'.repeat(101), view: {} }), message: 'name: expected at most 100 characters' },
    { body: JSON.stringify({ name: 'a\u0007b', view: {} }), message: 'name: must not hold control characters' },
    { body: '{"name": "x"}', message: 'view: expected a JSON object' },
    { body: '{"name": "x", "view": [1, 2]}', message: 'view: expected a JSON object' },
    { body: '{"name": "x", "view": "q=error"}', message: 'view: expected a JSON object' },
    { body: '{"name": "x", "view": {}, "owner": "bob"}', message: 'body: Unrecognized key: "owner"' },
    { body: JSON.stringify({ name: 'x', view: { q: 'x'.repeat(MAX_VIEW_BYTES) } }), message: `view: larger than ${MAX_VIEW_BYTES} bytes as JSON` },
    { body: `{"name": "x", "view": {"a": ${'['.repeat(40)}${']'.repeat(40)}}}`, message: 'view: nested deeper than 32 levels' },
    { body: `{"name": "x", "view": {"a": ${'['.repeat(20_000)}${']'.repeat(20_000)}}}`, message: 'view: nested deeper than 32 levels' },
  ])('refuses $message', async ({ body, message }) => {
    await expect(readSavedSearchBody(post(body))).rejects.toMatchObject({ status: 400, code: 'invalid_body', message });
  });

  it('refuses another content type, and a body past the limit with a 413', async () => {
    await expect(readSavedSearchBody(post('{"name": "x", "view": {}}', 'text/plain'))).rejects.toMatchObject({
      status: 400,
      message: 'expected a JSON body (Content-Type: application/json)',
    });
    await expect(readSavedSearchBody(post(JSON.stringify({ name: 'x', view: { q: 'x'.repeat(MAX_BODY_BYTES) } })))).rejects.toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });
});
