// The deploy story of Fabric's docs as typed tasks: release + atomic symlink swap + rollback,
// env-specific config, a rendered config push, per-host log fetching and a rolling restart.
//   fab -H web1,web2,web3 deploy
//   fab -H web1,web2,web3 --set deploy_env=production -P deploy
//   fab -H web1,web2,web3 rollback | push-config | fetch-logs
//   fab restart --chunk-size 2
import { type Connection, ThreadingGroup, task } from "@fabric-ts/fabric";
import { ensureDir, uploadTemplate } from "@fabric-ts/fabric/helpers";
import type { Context } from "@fabric-ts/invoke";
import { z } from "zod";

/** The hosts `restart` rolls through when `--targets` is not given. */
export const webHosts = ["web1", "web2", "web3"];

/** Releases kept on each host after a deploy (the current one is never removed). */
export const KEEP_RELEASES = 5;

// One id per `fab` run, so every host of one deploy gets the same release name.
const runStamp = releaseId(new Date());

/** `20250131_154502_123`: sortable (UTC, to the millisecond, so two quick deploys never collide). */
export function releaseId(date: Date): string {
  const iso = date.toISOString(); // 2025-01-31T15:45:02.123Z
  return `${iso.slice(0, 10).replaceAll("-", "")}_${iso.slice(11, 19).replaceAll(":", "")}_${iso.slice(20, 23)}`;
}

/** Where the app lives on a host: config `app_root` (`{host}` is the host's name), default the login dir. */
export function appRoot(c: Connection): string {
  return c.config.get<string>("app_root", "~").replaceAll("{host}", c.originalHost);
}

/** The deploy environment: `fab --set deploy_env=production …`; staging otherwise. */
export function deployEnv(c: Context): string {
  return c.config.get<string>("deploy_env", "staging");
}

/** A path for the shell: quoted, but a leading `~/` stays outside the quotes so it still expands. */
export function sh(path: string): string {
  if (path === "~") return "~";
  const [head, rest] = path.startsWith("~/") ? ["~/", path.slice(2)] : ["", path];
  return /^[\w./@%+=:,-]*$/.test(rest) ? `${head}${rest}` : `${head}'${rest.replaceAll("'", `'\\''`)}'`;
}

// What a real project would get from `git clone` + its service manager: a tiny service script.
const APP_SCRIPT = `#!/bin/sh
# demo service: restart/reload/status/check-config for the release this script belongs to
set -eu
release_dir=$(cd "$(dirname "$0")/.." && pwd -P)
release=$(basename "$release_dir")
root=$(dirname "$(dirname "$release_dir")")
log="$root/app/log/app.log"
case "\${1:-}" in
  restart) echo "$(date -u +%s%N) restart $release $(cat "$release_dir/REVISION")" >> "$log"
           echo "app restarted: $release ($(cat "$release_dir/REVISION"))" ;;
  reload)  echo "$(date -u +%s%N) reload $release" >> "$log"; echo "app reloaded its config" ;;
  status)  echo "app running: $release" ;;
  check-config)
    grep -q '^server_name = [a-z0-9.-]*$' "$2" && grep -q '^workers = [1-9][0-9]*$' "$2" \\
      || { echo "invalid config: $2" >&2; exit 1; }
    echo "config ok: $(basename "$2")" ;;
  *) echo "usage: app restart|reload|status|check-config FILE" >&2; exit 2 ;;
esac
`;

export const deploy = task(
  {
    doc: "Ship a release: new release dir, atomic symlink swap of app/current, restart, keep the last 5.",
    args: {
      branch: z.string().optional().describe("Branch to ship (default: main in production, else develop)"),
      release: z.string().optional().describe("Release name (default: a UTC timestamp)"),
    },
  },
  async (c, { branch, release }) => {
    const env = deployEnv(c);
    const ref = branch ?? (env === "production" ? "main" : "develop");
    const root = appRoot(c);
    const id = release ?? runStamp;
    const dir = `${root}/releases/${id}`;
    // `mkdir` without -p for the release itself: an existing release is never overwritten.
    await c.run(
      `mkdir -p ${sh(`${root}/releases`)} ${sh(`${root}/app/log`)} && mkdir ${sh(dir)} ${sh(`${dir}/bin`)}`,
    );
    await c.put(Buffer.from(`${ref} ${env}\n`), `${dir}/REVISION`);
    await c.put(Buffer.from(APP_SCRIPT), `${dir}/bin/app`);
    await c.run(`chmod +x ${sh(`${dir}/bin/app`)}`);
    await switchTo(c, dir);
    await c.run(`${sh(`${root}/app/current/bin/app`)} restart`);
    await pruneReleases(c, root);
  },
);

export const rollback = task(
  { doc: "Point app/current at the release before the current one and restart." },
  async (c) => {
    const root = appRoot(c);
    const current = (await c.run(`readlink ${sh(`${root}/app/current`)}`, { hide: true })).stdout.trim();
    const listing = await c.run(`ls -1 ${sh(`${root}/releases`)}`, { hide: true });
    const currentId = current.split("/").pop() ?? "";
    const older = listing.stdout
      .split("\n")
      .filter((name) => name !== "" && name < currentId)
      .sort();
    const previous = older.at(-1);
    // Fabric's recipe printed a note and exited 0 here; a rollback that cannot happen fails the run.
    if (!previous) throw new Error(`no release older than ${currentId} to roll back to`);
    await switchTo(c, `${root}/releases/${previous}`);
    await c.run(`${sh(`${root}/app/current/bin/app`)} restart`);
  },
);

export const pushConfig = task(
  {
    doc: "Render templates/app.conf.j2 for this host and environment; validate it before it goes live; reload on change.",
  },
  async (c) => {
    const production = deployEnv(c) === "production";
    const root = appRoot(c);
    const app = sh(`${root}/app/current/bin/app`);
    await ensureDir(c, `${root}/app/config`);
    // Rendered (Jinja), compared by hash, staged beside the live file, checked by `validate`, renamed
    // into place: a config the app rejects never goes live, and an unchanged one is not rewritten.
    const { changed } = await uploadTemplate(
      c,
      new URL("./templates/app.conf.j2", import.meta.url),
      `${root}/app/config/app.conf`,
      {
        host: c.originalHost,
        environment: deployEnv(c),
        server_name: production ? "api.example.com" : "staging-api.example.com",
        workers: production ? 4 : 2,
        log_level: production ? "warn" : "debug",
      },
      { validate: `${app} check-config %s` },
    );
    if (changed) await c.run(`${app} reload`);
  },
);

export const fetchLogs = task(
  {
    doc: "Download each host's app log into logs/<host>/<service>.log.",
    args: { service: z.string().default("app").describe("Log to fetch") },
  },
  async (c, { service }) => {
    const result = await c.get(`${appRoot(c)}/app/log/${service}.log`, `logs/{originalHost}/${service}.log`);
    return result.local;
  },
);

export const restart = task(
  {
    doc: "Rolling restart: the hosts in chunks, each chunk at once (a ThreadingGroup), stopping at a failure.",
    args: {
      targets: z.string().default(webHosts.join(",")).describe("Comma-separated hosts"),
      chunkSize: z.number().int().positive().default(2).describe("Hosts restarted at once"),
    },
  },
  async (c: Context, { targets, chunkSize }) => {
    const hosts = targets
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    const chunks = Math.ceil(hosts.length / chunkSize);
    for (let i = 0; i < chunks; i++) {
      const chunk = hosts.slice(i * chunkSize, (i + 1) * chunkSize);
      const group = new ThreadingGroup(...chunk, { config: c.config });
      try {
        // A Connection per host means one `app_root` per host: resolve it for each.
        await group.call((conn) => conn.run(`${sh(`${appRoot(conn)}/app/current/bin/app`)} restart`));
      } finally {
        await group.close();
      }
      console.log(`chunk ${i + 1}/${chunks} restarted: ${chunk.join(", ")}`);
    }
  },
);

/** Atomically point `<root>/app/current` at `dir`: a new symlink renamed over the old one. */
async function switchTo(c: Connection, dir: string): Promise<void> {
  const current = `${appRoot(c)}/app/current`;
  // `ln -sfn` alone unlinks then re-creates (a moment with no `current`); rename(2) is atomic.
  const name = dir.split("/").pop() ?? dir;
  await c.run(
    `ln -sfn ${sh(dir)} ${sh(`${current}.next`)} && mv -T ${sh(`${current}.next`)} ${sh(current)} && echo "current -> ${name}"`,
  );
}

/** Remove all but the newest releases by name (timestamps sort), never the current one. */
async function pruneReleases(c: Connection, root: string): Promise<void> {
  const releases = sh(`${root}/releases`);
  await c.run(
    `cur=$(basename "$(readlink ${sh(`${root}/app/current`)})"); ` +
      `ls -1 ${releases} | sort -r | tail -n +${KEEP_RELEASES + 1} | ` +
      `while read -r r; do [ "$r" = "$cur" ] || rm -rf ${releases}/"$r"; done`,
  );
}

export const status = task(
  { doc: "Show the current release and the live config's server_name." },
  async (c) => {
    const root = appRoot(c);
    await c.run(
      `echo "current: $(basename "$(readlink ${sh(`${root}/app/current`)})")" && ` +
        `{ grep -h '^server_name' ${sh(`${root}/app/config/app.conf`)} 2>/dev/null || echo "no config pushed"; }`,
    );
  },
);
