// Seed (deep dive): environment-specific configuration — a fabfile.
//   @task
//   def deploy(c):
//       env = c.config.get("deploy_env", "staging")
//       branch = "main" if env == "production" else "develop"
//       c.run(f"cd /app && git checkout {branch} && git pull")
// Run with: fab -H web1 --set deploy_env=production deploy
// (from this directory: fab -c env-config -H web1 --set deploy_env=production deploy)
import { task } from "@fabric-ts/fabric";

export const deploy = task(
  { doc: "Check out main in production, develop elsewhere, and pull." },
  async (c) => {
    const env = c.config.get<string>("deploy_env", "staging");
    const branch = env === "production" ? "main" : "develop";
    await c.run(`cd ~/webapp && git checkout ${branch} && git pull`);
  },
);
