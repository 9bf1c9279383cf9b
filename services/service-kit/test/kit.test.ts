import assert from 'node:assert/strict';
import {
  ApiKeys,
  allowed,
  blockedReason,
  JobQueue,
  parseAllowEntry,
  RateLimiter,
  redact,
} from '@autoedit/service-kit';
import { describe, it } from 'mocha';

describe('service-kit', () => {
  it('classifies every spelling of loopback, private, link-local and metadata addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::127.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::',
      'fe80::1',
      'fd12:3456::1',
      'ff02::1',
    ])
      assert.ok(blockedReason(ip), `${ip} must be blocked`);
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450::200e', '::ffff:8.8.8.8'])
      assert.equal(blockedReason(ip), undefined, `${ip} is public`);
  });

  it('allow-list entries: CIDR with an optional port, IPv6 in brackets; malformed entries are errors', () => {
    const list = ['127.0.0.1:9000', '10.0.0.0/8', '[::1]:8080'].map(parseAllowEntry);
    assert.equal(allowed('127.0.0.1', 9000, list), true);
    assert.equal(allowed('127.0.0.1', 9001, list), false);
    assert.equal(allowed('::ffff:127.0.0.1', 9000, list), true);
    assert.equal(allowed('10.9.9.9', 1, list), true);
    assert.equal(allowed('::1', 8080, list), true);
    assert.equal(allowed('::1', 8081, list), false);
    assert.throws(() => parseAllowEntry('localhost'), /not an address or CIDR/);
    assert.throws(() => parseAllowEntry('10.0.0.0/33'), /not an address or CIDR/);
  });

  it('API keys: compared by digest, named by an id, short keys refused', () => {
    const keys = new ApiKeys(['first-key-0123456789', 'second-key-0123456789']);
    assert.match(keys.check('second-key-0123456789') ?? '', /^key-[0-9a-f]{8}$/);
    assert.equal(keys.check('second-key-012345678'), undefined);
    assert.equal(keys.check(''), undefined);
    assert.equal(keys.check(undefined), undefined);
    assert.throws(() => new ApiKeys(['short']), /at least 16/);
  });

  it('rate limits: a burst, then Retry-After until tokens refill', () => {
    let now = 0;
    const r = new RateLimiter(60, 3, () => now);
    assert.deepEqual(
      [r.take('a'), r.take('a'), r.take('a')].map((t) => t.ok),
      [true, true, true],
    );
    const refused = r.take('a');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.retryAfter, 1);
    assert.equal(r.take('b').ok, true, 'per client');
    now += 1000;
    assert.equal(r.take('a').ok, true);
  });

  it('the queue bounds what runs and what waits; a waiting job whose caller left never runs', async () => {
    const q = new JobQueue(1, 1);
    let release!: () => void;
    const first = q.run(() => new Promise<void>((r) => (release = r)));
    const gone = new AbortController();
    let ran = false;
    const second = q.run(async () => {
      ran = true;
    }, gone.signal);
    await assert.rejects(
      q.run(async () => {}),
      /busy/,
    );
    gone.abort();
    await assert.rejects(second, /went away/);
    release();
    await first;
    assert.equal(ran, false);
    assert.equal(q.depth, 0);
  });

  it('log redaction: transcript content, secrets and signed query strings', () => {
    const out = redact({
      text: 'the words',
      segments: [1, 2],
      api_key: 'k',
      nested: { authorization: 'Bearer x', url: 'https://s3.test/a.wav?X-Amz-Signature=abc' },
      msg: 'fetching http://h/x?ae-signature=zzz done',
    }) as Record<string, unknown>;
    assert.equal(out.text, '[9 chars redacted]');
    assert.equal(out.segments, '[2 items redacted]');
    assert.equal(out.api_key, '[redacted]');
    assert.deepEqual(out.nested, { authorization: '[redacted]', url: 'https://s3.test/a.wav?[redacted]' });
    assert.equal(out.msg, 'fetching http://h/x?[redacted] done');
  });
});
