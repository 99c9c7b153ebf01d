/** A fake public-key blob in SSH wire format: the type string, then the payload, each length-prefixed. */
export function blob(type: string, payload: string): Buffer {
  const t = Buffer.from(type);
  const p = Buffer.from(payload);
  const out = Buffer.alloc(8 + t.length + p.length);
  out.writeUInt32BE(t.length, 0);
  t.copy(out, 4);
  out.writeUInt32BE(p.length, 4 + t.length);
  p.copy(out, 8 + t.length);
  return out;
}
