/** ssh-config-resolve: `ssh -G`-identical ssh_config resolution (see ../ssh-config/cli.ts). */
import { runSshConfigResolve } from "../ssh-config/cli.js";

process.exitCode = runSshConfigResolve(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
