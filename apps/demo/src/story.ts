/** One step of the demo: what it shows and the `fab` arguments a user would type. */
export interface Step {
  readonly title: string;
  readonly args: readonly string[];
}

const ALL = ["-H", "web1,web2,web3"];

/** The seed deploy story, in order. */
export const STORY: readonly Step[] = [
  { title: "Deploy to staging, one host after another", args: [...ALL, "deploy"] },
  {
    title: "Deploy to production, all hosts at once (-P)",
    args: [...ALL, "--set", "deploy_env=production", "-P", "deploy"],
  },
  { title: "Roll back to the previous release", args: [...ALL, "rollback"] },
  {
    title: "Push the rendered production config (validated before it goes live)",
    args: [...ALL, "--set", "deploy_env=production", "-P", "push-config"],
  },
  { title: "Fetch each host's log into logs/<host>/", args: [...ALL, "-P", "fetch-logs"] },
  { title: "Rolling restart, two hosts at a time", args: ["restart", "--chunk-size", "2"] },
  { title: "Where every host stands", args: [...ALL, "status"] },
];
