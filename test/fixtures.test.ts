import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'mocha';
import { FIXTURES, hasShared, sharedFile } from '../engine/test/helpers/shared.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [relative(FIXTURES, join(dir, e.name))],
  );
/** SHA256SUMS: `<digest>  <path>` per line, as sha256sum writes it. */
const listed = new Map(
  readFileSync(join(FIXTURES, 'SHA256SUMS'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const [digest, path] = l.split(/\s+\*?/, 2) as [string, string];
      return [path, digest];
    }),
);
const media = [...listed.keys()].filter((f) => !/(^|\/)LICENSE/.test(f));

describe('test fixtures shipped in test/fixtures/', () => {
  it('are the files SHA256SUMS lists, byte for byte, and nothing else', () => {
    const present = files(FIXTURES).filter((f) => f !== 'SHA256SUMS' && f !== 'README.md');
    assert.deepEqual(present.sort(), [...listed.keys()].sort());
    for (const [path, digest] of listed)
      assert.equal(sha256(readFileSync(join(FIXTURES, path))), digest, path);
  });

  it('stay small, each with its licence beside it', () => {
    let total = 0;
    for (const f of listed.keys()) {
      const size = statSync(join(FIXTURES, f)).size;
      assert.ok(size < 1 << 20, `${f} is ${size} bytes: ship files under 1 MB (use a generated stand-in)`);
      total += size;
    }
    assert.ok(total < 2.5 * (1 << 20), `test/fixtures/ holds ${total} bytes`);
    for (const f of media)
      assert.ok(
        [...listed.keys()].some((l) => dirname(l) === dirname(f) && /(^|\/)LICENSE/.test(l)),
        `${f} has no LICENSE beside it`,
      );
  });

  it("whisper.cpp's test headers unpack to the files whisper.cpp publishes", () => {
    const published = {
      'for-tests-ggml-tiny.en.bin.gz': 'dd6b7796204a1cdf7164666423034e6e1a7a3e9f5c22327b4b7974c4584bd82d',
      'for-tests-ggml-tiny.bin.gz': 'c486fb9f14a28b1c1dc252741a431646cc573450c900b9d9c406e10294aa01e6',
    };
    for (const [name, digest] of Object.entries(published))
      assert.equal(
        sha256(gunzipSync(readFileSync(join(FIXTURES, 'models/whisper.cpp-test', name)))),
        digest,
        name,
      );
  });

  it('are the same bytes as the shared/ folder’s copies (when ../shared is present)', function () {
    const inShared = media.filter((f) => hasShared(f.replace(/\.gz$/, '')));
    if (inShared.length === 0) {
      console.warn('    skipped: no ../shared (AUTOEDIT_SHARED) to compare with');
      this.skip();
    }
    for (const f of inShared) {
      const ours = readFileSync(join(FIXTURES, f));
      const theirs = readFileSync(sharedFile(f.replace(/\.gz$/, '')));
      assert.ok((f.endsWith('.gz') ? gunzipSync(ours) : ours).equals(theirs), f);
    }
  });
});
