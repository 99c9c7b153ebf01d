import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, ParsedKey, Prompt } from "ssh2";
import { type AuthAttempt, KeyFileError, SshError } from "../errors.js";
import { type CertificateFile, describeCertificate } from "./certificates.js";
import { decryptIdentity, type Identity } from "./identities.js";

export interface KeyboardInteractivePrompt {
  prompt: string;
  /** Whether the answer may be shown as typed (false for passwords and OTP codes). */
  echo: boolean;
}

export interface KeyboardInteractiveChallenge {
  name: string;
  instructions: string;
  prompts: KeyboardInteractivePrompt[];
}

export interface PassphrasePromptInfo {
  /** The key file (with `~`), or the label of an in-memory key. */
  key: string;
  attempt: number;
}

export interface PasswordPromptInfo {
  username: string;
  host: string;
  attempt: number;
}

export interface AuthOptions {
  username: string;
  host: string;
  /** ssh-agent socket; `undefined`/empty = no agent. */
  agentSocket?: string | undefined;
  identities: Identity[];
  /** CertificateFile certificates, offered first with the matching IdentityFile or agent key. */
  certificates?: readonly CertificateFile[] | undefined;
  identitiesOnly: boolean;
  passphrase?: string | undefined;
  promptPassphrase?: ((info: PassphrasePromptInfo) => Promise<string | null | undefined>) | undefined;
  password?: string | undefined;
  promptPassword?: ((info: PasswordPromptInfo) => Promise<string | null | undefined>) | undefined;
  onKeyboardInteractive?: ((challenge: KeyboardInteractiveChallenge) => Promise<string[]>) | undefined;
  /** ssh_config PubkeyAuthentication / KbdInteractiveAuthentication / PasswordAuthentication. */
  publickey: boolean;
  keyboardInteractive: boolean;
  passwordAuth: boolean;
  /** ssh_config BatchMode: never prompt. */
  batchMode: boolean;
  /** NumberOfPasswordPrompts (default 3). */
  promptAttempts: number;
}

type Step = { method: AuthAttempt["method"]; run: () => Promise<AnyAuthMethod | null> };

/**
 * Drives ssh2's `authHandler` in OpenSSH's order: none (to learn the server's methods), agent keys,
 * IdentityFile keys not already covered by the agent, keyboard-interactive, password. Records what was
 * attempted for the failure message, and stops everything on a fatal error such as a wrong passphrase.
 */
export class AuthSession {
  readonly attempts: AuthAttempt[] = [];
  fatal: SshError | null = null;
  readonly #options: AuthOptions;
  #steps: Step[] | null = null;

  constructor(options: AuthOptions) {
    this.#options = options;
  }

  /** Learn which identity files the agent already holds (OpenSSH signs those through the agent). */
  async #buildSteps(): Promise<Step[]> {
    const o = this.#options;
    const steps: Step[] = [{ method: "none", run: async () => ({ type: "none", username: o.username }) }];
    let fileIdentities = o.identities;
    let agentKeys: ParsedKey[] = [];
    // The agents extend ssh2's BaseAgent, so their module loads ssh2: imported on first use.
    const { FilteredAgent } = await import("./agents.js");
    const agent =
      o.publickey && o.agentSocket
        ? new FilteredAgent(o.agentSocket, o.identitiesOnly ? (blob) => this.#isFileIdentity(blob) : null)
        : null;
    if (agent) {
      try {
        agentKeys = await agent.listKeys();
      } catch {
        // No reachable agent: OpenSSH carries on without it.
      }
    }

    if (o.publickey) steps.push(...this.#certificateFileSteps(agentKeys));

    if (agent && o.agentSocket) {
      const agentBlobs = agentKeys.map((k) => k.getPublicSSH());
      if (agentBlobs.length > 0) {
        fileIdentities = o.identities.filter((i) => {
          const offered = offeredBlob(i);
          return !offered || !agentBlobs.some((b) => b.equals(offered));
        });
        steps.push({
          method: "agent",
          run: async () => {
            const attempt: AuthAttempt = { method: "agent" };
            this.attempts.push(attempt);
            // ssh2 asks the agent for its keys when the step starts; report the count lazily.
            Object.defineProperty(attempt, "detail", {
              enumerable: true,
              get: () => `(${agent.offered} key${agent.offered === 1 ? "" : "s"})`,
            });
            return { type: "agent", username: o.username, agent };
          },
        });
      }
    }

    if (o.publickey) {
      for (const identity of fileIdentities) steps.push(this.#identityStep(identity));
    }

    const kbdAnswerer = this.#keyboardInteractiveAnswerer();
    if (o.keyboardInteractive && kbdAnswerer) {
      steps.push({
        method: "keyboard-interactive",
        run: async () => {
          this.attempts.push({ method: "keyboard-interactive" });
          return {
            type: "keyboard-interactive",
            username: o.username,
            prompt: (name: string, instructions: string, _lang: string, prompts: Prompt[], finish) => {
              kbdAnswerer({
                name,
                instructions,
                prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo ?? false })),
              }).then(finish, (error: unknown) => {
                this.fatal ??= asSshError(error);
                finish([]);
              });
            },
          };
        },
      });
    }

    if (o.passwordAuth) {
      if (o.password !== undefined) {
        steps.push({
          method: "password",
          run: async () => {
            this.attempts.push({ method: "password" });
            return { type: "password", username: o.username, password: o.password as string };
          },
        });
      } else if (o.promptPassword && !o.batchMode) {
        for (let attempt = 1; attempt <= o.promptAttempts; attempt++) {
          steps.push({
            method: "password",
            run: async () => {
              const password = await o.promptPassword?.({ username: o.username, host: o.host, attempt });
              if (password === null || password === undefined) return null;
              this.attempts.push({
                method: "password",
                ...(attempt > 1 ? { detail: `(attempt ${attempt})` } : {}),
              });
              return { type: "password", username: o.username, password };
            },
          });
        }
      }
    }
    return steps;
  }

  /** One IdentityFile key (or the certificate it signs), decrypted only when the server accepts it. */
  #identityStep(identity: Identity): Step {
    const o = this.#options;
    return {
      method: "publickey",
      run: async () => {
        const label = identity.certificate
          ? describeCertificate(identity.certificate.label, identity.certificate.certificate, o.username)
          : identity.label;
        const attempt: AuthAttempt = { method: "publickey", detail: label };
        this.attempts.push(attempt);
        const { IdentityFileAgent } = await import("./agents.js");
        const agent = new IdentityFileAgent(identity, (id) =>
          this.#privateKey(id).catch((error: unknown) => {
            if (error instanceof KeyFileError && error.code === "KEY_UNREADABLE") {
              attempt.detail = `${label} (skipped: ${error.message})`;
            }
            throw error;
          }),
        );
        return { type: "agent", username: o.username, agent };
      },
    };
  }

  /** Whether an agent key or certificate blob is also an IdentityFile / CertificateFile one (IdentitiesOnly). */
  #isFileIdentity(blob: Buffer): boolean {
    const o = this.#options;
    return (
      o.identities.some((i) => offeredBlob(i)?.equals(blob) || i.publicBlob?.equals(blob)) ||
      (o.certificates ?? []).some((c) => c.certificate.blob.equals(blob))
    );
  }

  /**
   * CertificateFile entries come first, as in OpenSSH: each signed with the IdentityFile key it
   * certifies, else with that key in the agent; without either it is reported as skipped.
   */
  #certificateFileSteps(agentKeys: readonly ParsedKey[]): Step[] {
    const o = this.#options;
    return (o.certificates ?? []).map((file): Step => {
      const certified = file.certificate.publicKey;
      const identity = o.identities.find((i) => i.publicBlob?.equals(certified));
      if (identity) {
        return this.#identityStep({ ...identity, certificate: file });
      }
      const agentKey = agentKeys.find((k) => k.getPublicSSH().equals(certified));
      const label = describeCertificate(file.label, file.certificate, o.username);
      return {
        method: "publickey",
        run: async () => {
          if (!agentKey || !o.agentSocket) {
            this.attempts.push({ method: "publickey", detail: `${label} (skipped: no private key for it)` });
            return null;
          }
          this.attempts.push({ method: "publickey", detail: `${label} via agent` });
          const { AgentCertificateAgent } = await import("./agents.js");
          return {
            type: "agent",
            username: o.username,
            agent: new AgentCertificateAgent(o.agentSocket, agentKey, file.certificate),
          };
        },
      };
    });
  }

  #keyboardInteractiveAnswerer(): ((c: KeyboardInteractiveChallenge) => Promise<string[]>) | null {
    const o = this.#options;
    if (o.onKeyboardInteractive && !o.batchMode) return o.onKeyboardInteractive;
    const password = o.password;
    if (password === undefined) return null;
    // Without a callback, answer a lone password prompt (PAM's usual challenge) with the password.
    return async (challenge) => challenge.prompts.map((p) => (/password/i.test(p.prompt) ? password : ""));
  }

  async #privateKey(identity: Identity): Promise<ParsedKey> {
    try {
      return await this.#decrypt(identity);
    } catch (error) {
      if (error instanceof KeyFileError && error.code === "BAD_PASSPHRASE") this.fatal ??= error;
      throw error;
    }
  }

  async #decrypt(identity: Identity): Promise<ParsedKey> {
    const o = this.#options;
    if (identity.privateKey) return identity.privateKey;
    if (identity.passphrase !== undefined) return decryptIdentity(identity, identity.passphrase);
    if (o.passphrase !== undefined) return decryptIdentity(identity, o.passphrase);
    if (!o.promptPassphrase || o.batchMode) {
      throw new KeyFileError(
        "KEY_UNREADABLE",
        identity.path ?? identity.label,
        `${identity.label} is encrypted and no passphrase was given`,
      );
    }
    let last: unknown;
    for (let attempt = 1; attempt <= o.promptAttempts; attempt++) {
      const answer = await o.promptPassphrase({ key: identity.label, attempt });
      if (answer === null || answer === undefined) {
        throw new KeyFileError(
          "KEY_UNREADABLE",
          identity.path ?? identity.label,
          `No passphrase given for ${identity.label}`,
        );
      }
      try {
        return decryptIdentity(identity, answer);
      } catch (error) {
        last = error;
        if (!(error instanceof KeyFileError && error.code === "BAD_PASSPHRASE")) throw error;
      }
    }
    throw last;
  }

  /** ssh2's function-form authHandler. */
  handler(): AuthHandlerMiddleware {
    let index = 0;
    return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next) => {
      void (async () => {
        this.#steps ??= await this.#buildSteps();
        while (!this.fatal && index < this.#steps.length) {
          const step = this.#steps[index++] as Step;
          const wire = step.method === "agent" ? "publickey" : step.method;
          if (methodsLeft && step.method !== "none" && !methodsLeft.includes(wire)) continue;
          if (step.method === "none" && methodsLeft) continue;
          let method: AnyAuthMethod | null;
          try {
            method = await step.run();
          } catch (error) {
            this.fatal ??= asSshError(error);
            break;
          }
          if (method) return next(method);
        }
        next(false as unknown as AnyAuthMethod);
      })();
    };
  }
}

/** What an identity offers to the server: its certificate, else its public key. */
function offeredBlob(identity: Identity): Buffer | null {
  return identity.certificate?.certificate.blob ?? identity.publicBlob;
}

function asSshError(error: unknown): SshError {
  if (error instanceof SshError) return error;
  return new SshError(
    "AUTH_FAILED",
    `Authentication callback failed: ${String((error as Error)?.message ?? error)}`,
    {
      cause: error,
    },
  );
}
