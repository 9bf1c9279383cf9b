/**
 * The duration a WAV announces in its header, from the first bytes of a download: lets the service refuse
 * overlong audio (400) before the rest arrives. Undefined when it is not a WAV or does not say.
 */
export function wavDeclaredSeconds(head: Uint8Array, announcedBytes?: number): number | undefined {
  if (head.length < 12) return undefined;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number) => String.fromCharCode(head[at]!, head[at + 1]!, head[at + 2]!, head[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let byteRate: number | undefined;
  for (let at = 12; at + 8 <= head.length; ) {
    const id = tag(at);
    const size = v.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 20 <= head.length) byteRate = v.getUint32(at + 16, true);
    else if (id === 'data') {
      if (!byteRate) return undefined;
      // Streamed WAVs leave the size at 0 or 0xFFFFFFFF: then the download's length tells.
      const bytes =
        size === 0 || size === 0xffffffff
          ? announcedBytes !== undefined
            ? announcedBytes - (at + 8)
            : undefined
          : size;
      return bytes === undefined ? undefined : bytes / byteRate;
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
