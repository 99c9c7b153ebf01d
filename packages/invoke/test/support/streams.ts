import { Writable } from "node:stream";

/** A Writable that collects what is written (Python's StringIO in Invoke's tests). */
export class StringSink extends Writable {
  text = "";

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}
