import { ParseError } from "../errors.js";

const SCRIPTS: Record<string, string> = {
  bash: `# Tab completion for {names}; load with: source <({binary} --print-completion-script bash)
_complete_{fn}() {
    local candidates
    candidates=$({binary} --complete -- "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null)
    COMPREPLY=( $(compgen -W "\${candidates}" -- "$2") )
}
complete -F _complete_{fn} -o default {names}
`,
  zsh: `# Tab completion for {names}; load with: source <({binary} --print-completion-script zsh)
_complete_{fn}() {
    local -a candidates
    candidates=(\${(f)"$({binary} --complete -- \${words[1,CURRENT]} 2>/dev/null)"})
    if (( \${#candidates} )); then
        compadd -a candidates
    else
        _files
    fi
}
compdef _complete_{fn} {names}
`,
  fish: `# Tab completion for {names}; load with: {binary} --print-completion-script fish | source
function __complete_{fn}
    {binary} --complete -- (commandline --tokenize --cut-at-cursor) (commandline --current-token) 2>/dev/null
end
for name in {names}
    complete --command $name --no-files --arguments '(__complete_{fn})'
end
`,
};

/**
 * The completion script for `shell`, wired to every binary name.
 * @throws {ParseError} for an unsupported shell
 */
export function completionScript(shell: string, binaryNames: readonly string[]): string {
  const template = SCRIPTS[shell];
  if (!template) {
    const options = Object.keys(SCRIPTS).sort().join(", ");
    throw new ParseError(`Completion for shell "${shell}" not supported (options are: ${options}).`);
  }
  const binary = binaryNames[0] ?? "inv";
  return template
    .replaceAll("{fn}", binary.replace(/[^A-Za-z0-9_]/g, "_"))
    .replaceAll("{binary}", binary)
    .replaceAll("{names}", binaryNames.join(" "));
}
