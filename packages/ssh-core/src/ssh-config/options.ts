/**
 * The option store built while reading config files: first value wins for single-valued
 * options, list options accumulate, and every value remembers the file and line that set it.
 */
import type { Forward } from "./forward.js";

export interface Origin {
  file: string;
  line: number;
}

export interface Sourced<T> extends Origin {
  value: T;
}

/** A list entry; identity and certificate files also remember whether a user file supplied them. */
export interface ListItem extends Sourced<string> {
  userProvided?: boolean;
}

export interface JumpSpec {
  user: string | null;
  host: string;
  port: number;
  /** Every hop before the last one, exactly as written. */
  extra: string | null;
}

/** `ProxyJump none` as stored until defaults are filled in (it blocks later ProxyJumps only). */
export function isJumpNone(jump: JumpSpec | undefined): boolean {
  return (
    jump !== undefined && jump.host === "none" && jump.port === 0 && jump.user === null && jump.extra === null
  );
}

/** A real jump host is set (not `ProxyJump none`). */
export function hasJumpHost(store: OptionStore): boolean {
  return store.jump !== undefined && !isJumpNone(store.jump.value);
}

export class OptionStore {
  private readonly single = new Map<string, Sourced<number | string>>();
  private readonly lists = new Map<string, ListItem[]>();
  readonly localForwards: Sourced<Forward>[] = [];
  readonly remoteForwards: Sourced<Forward>[] = [];
  jump: Sourced<JumpSpec> | undefined;

  has(key: string): boolean {
    return this.single.has(key);
  }

  entry(key: string): Sourced<number | string> | undefined {
    return this.single.get(key);
  }

  num(key: string): number | undefined {
    const v = this.single.get(key)?.value;
    return typeof v === "number" ? v : undefined;
  }

  str(key: string): string | undefined {
    const v = this.single.get(key)?.value;
    return typeof v === "string" ? v : undefined;
  }

  /** Sets `key` unless already set; returns whether it was set. */
  setIfUnset(key: string, value: number | string, origin: Origin): boolean {
    if (this.single.has(key)) return false;
    this.single.set(key, { ...origin, value });
    return true;
  }

  set(key: string, value: number | string, origin: Origin): void {
    this.single.set(key, { ...origin, value });
  }

  delete(key: string): void {
    this.single.delete(key);
  }

  list(key: string): ListItem[] {
    let items = this.lists.get(key);
    if (items === undefined) {
      items = [];
      this.lists.set(key, items);
    }
    return items;
  }

  listValues(key: string): string[] {
    return this.list(key).map((item) => item.value);
  }

  replaceList(key: string, items: ListItem[]): void {
    this.lists.set(key, items);
  }
}

export const DEFAULT_ORIGIN: Origin = { file: "(default)", line: 0 };
export const COMMAND_LINE: Origin = { file: "(command line)", line: 0 };
