/** A handler that never returns for the input "hang": proves BoundedRunner turns a hang into a failure. */
export function handle(input: string): string {
  if (input === "hang") for (;;) {}
  return input;
}
