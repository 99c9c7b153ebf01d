import { writeFileSync } from "node:fs";
import { startSshd } from "@fabric-ts/testing";
const sshd = await startSshd({ hosts: 20, maxStartups: "100:30:200" });
writeFileSync("/tmp/i15w/h/info.json", JSON.stringify({ config: sshd.sshConfigPath, hosts: sshd.hosts.map((h) => h.alias), addrs: sshd.hosts.map((h) => h.address) }));
console.log("ready", sshd.sshConfigPath);
process.on("SIGTERM", async () => { await sshd.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
