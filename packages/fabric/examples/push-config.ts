// Seed (deep dive): template-based configuration deployment — a fabfile.
//   template = Template(Path("templates/nginx.conf.tpl").read_text())
//   rendered = template.substitute(server_name=..., workers=...)
//   tmp.write_text(rendered); c.put(str(tmp), "/etc/nginx/sites-available/api.conf")
//   c.sudo("nginx -t"); c.sudo("systemctl reload nginx")
// /etc/nginx becomes ~/nginx. No temp file: put() takes the rendered text as a Buffer.
import { readFile } from "node:fs/promises";
import { task } from "@fabric-ts/fabric";
import { z } from "zod";

export const REMOTE_CONFIG = "~/nginx/sites-available/api.conf";

export const pushConfig = task(
  {
    args: { environment: z.string().default("staging") },
    doc: "Render templates/nginx.conf.tpl for an environment, upload it, validate and reload nginx.",
  },
  async (c, { environment }) => {
    const template = await readFile(new URL("./templates/nginx.conf.tpl", import.meta.url), "utf8");
    const production = environment === "production";
    const rendered = substitute(template, {
      server_name: production ? "api.example.com" : "staging-api.example.com",
      workers: production ? "4" : "2",
    });
    await c.run("mkdir -p ~/nginx/sites-available");
    await c.put(Buffer.from(rendered), REMOTE_CONFIG);
    await c.sudo("nginx -t"); // Validate before reloading
    await c.sudo("systemctl reload nginx");
    return rendered;
  },
);

/** Python's `string.Template.substitute`: `$name`, `${name}`, `$$`; a missing name is an error. */
export function substitute(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(
    /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})/g,
    (_m, dollar, bare, braced) => {
      if (dollar) return "$";
      const name = (bare ?? braced) as string;
      const value = values[name];
      if (value === undefined) throw new Error(`KeyError: '${name}' (no value for the template placeholder)`);
      return value;
    },
  );
}
