import { timingSafeEqual } from "node:crypto";
import type { AuthContext, KeyboardAuthContext, PublicKeyAuthContext } from "ssh2";
import type { ConnectionState } from "./connection-state.js";
import { delay } from "./faults.js";
import type { HostRuntime } from "./runtime.js";
import type { EmbeddedAuthMethod, KeyboardInteractivePrompt } from "./types.js";
import { methodsFor, type ResolvedUser } from "./users.js";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function authorisedKey(ctx: PublicKeyAuthContext, user: ResolvedUser) {
  return user.keys.find((key) => key.getPublicSSH().equals(ctx.key.data));
}

function askPrompts(ctx: KeyboardAuthContext, prompts: KeyboardInteractivePrompt[]): Promise<boolean> {
  return new Promise((resolve) => {
    const questions = prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false }));
    ctx.prompt(questions, "", "", (answers: string[] | Error) => {
      if (!Array.isArray(answers) || answers.length !== prompts.length) return resolve(false);
      resolve(prompts.every((p, i) => sameSecret(answers[i] ?? "", p.answer)));
    });
  });
}

/** Decides one authentication request; `undefined` means "answered already" (publickey query). */
async function verify(ctx: AuthContext, user: ResolvedUser | undefined): Promise<boolean | undefined> {
  if (!user) return false;
  switch (ctx.method) {
    case "publickey": {
      const key = authorisedKey(ctx, user);
      if (!key) return false;
      // Without a signature the client only asks whether the key would do; ssh2 answers PK_OK.
      if (!ctx.signature || !ctx.blob) {
        ctx.accept();
        return undefined;
      }
      return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo);
    }
    case "password":
      return user.password !== undefined && sameSecret(ctx.password, user.password);
    case "keyboard-interactive": {
      const prompts =
        user.prompts ??
        (user.password !== undefined ? [{ prompt: "Password: ", echo: false, answer: user.password }] : []);
      return prompts.length > 0 && askPrompts(ctx, prompts);
    }
    default:
      return false;
  }
}

export async function authenticate(
  ctx: AuthContext,
  state: ConnectionState,
  host: HostRuntime,
): Promise<void> {
  const user = host.users.get(ctx.username);
  const wait = delay(host.faults.authDelayMs);
  if (wait) await wait;

  const offered = methodsFor(user);
  const method = ctx.method as EmbeddedAuthMethod;
  const outcome = host.faults.rejectAuth || !offered.includes(method) ? false : await verify(ctx, user);
  if (outcome === undefined) return;

  let partial = false;
  let accepted = outcome;
  if (outcome && user?.requireAll) {
    state.satisfied.add(method);
    const missing = user.requireAll.filter((m) => !state.satisfied.has(m));
    if (missing.length > 0) {
      partial = true;
      accepted = false;
      ctx.reject(missing, true);
    }
  }
  if (accepted) {
    state.user = ctx.username;
    ctx.accept();
  } else if (!partial) {
    const remaining = user?.requireAll ? user.requireAll.filter((m) => !state.satisfied.has(m)) : offered;
    ctx.reject(remaining.length > 0 ? remaining : offered);
  }
  if (ctx.method !== "none") {
    host.emit("auth", { connection: state, user: ctx.username, method: ctx.method, accepted, partial });
  }
}
