import { InventoryError } from "../errors/index.js";
import { addHostPattern } from "./host-line.js";
import type { InventoryData, Vars } from "./model.js";
import { parseIniValue } from "./python-literal.js";
import { shellWords } from "./shell-words.js";

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;

/** A group named before its own section: by `[g:vars]`, or as a child in `[p:children]`. */
interface Pending {
  line: number;
  state: "vars" | "children";
  parents: string[];
}

/**
 * Read an INI inventory into `data`, as Ansible's ini plugin does: hosts before any section are
 * `ungrouped`; `[g]` lists hosts with inline `key=value` vars; `[g:vars]` sets group vars;
 * `[g:children]` lists child groups, linked once the child's own section appears. Values are typed
 * as Python literals.
 * @throws {InventoryError} naming the file and line
 */
export function readIniInventory(data: InventoryData, text: string, file: string): void {
  let group = "ungrouped";
  let state: "hosts" | "vars" | "children" = "hosts";
  const pending = new Map<string, Pending>();
  const linkPending = (name: string): void => {
    const decl = pending.get(name);
    if (!decl) return;
    pending.delete(name);
    for (const parent of decl.parents) {
      data.addChild(parent, name);
      if (pending.get(parent)?.state === "children") linkPending(parent);
    }
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const where = { file, line: index + 1 };
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) return;
    try {
      const match = SECTION.exec(line);
      if (!match && line.startsWith("[") && line.endsWith("]")) {
        throw new InventoryError(
          `Invalid section entry: '${line}'. Please make sure that there are no spaces or other characters in the group name`,
        );
      }
      if (match) {
        group = match[1]!;
        const kind = match[2] ?? "hosts";
        if (kind !== "hosts" && kind !== "vars" && kind !== "children")
          throw new InventoryError(`Section [${group}:${kind}] has unknown type: ${kind}`);
        state = kind;
        if (!data.groups.has(group)) {
          if (state === "vars" && !pending.has(group))
            pending.set(group, { line: where.line, state: "vars", parents: [] });
          data.addGroup(group);
        }
        const decl = pending.get(group);
        if (decl && state !== "vars") {
          if (decl.state === "children") linkPending(group);
          else pending.delete(group);
        }
        return;
      }
      if (state === "hosts") {
        const words = shellWords(line);
        if (words.length === 0) return;
        const vars: Vars = {};
        for (const word of words.slice(1)) {
          const eq = word.indexOf("=");
          if (eq === -1)
            throw new InventoryError(`Expected key=value host variable assignment, got: ${word}`);
          vars[word.slice(0, eq)] = parseIniValue(word.slice(eq + 1));
        }
        addHostPattern(data, words[0]!, group, vars, true);
        return;
      }
      if (state === "vars") {
        const eq = line.indexOf("=");
        if (eq === -1) throw new InventoryError(`Expected key=value, got: ${line}`);
        data.groups
          .get(group)!
          .setVariable(line.slice(0, eq).trim(), parseIniValue(line.slice(eq + 1).trim()));
        return;
      }
      const child = shellWords(line)[0];
      if (child === undefined) return;
      if (data.groups.has(child) && !(pending.get(child)?.state === "children")) {
        data.addChild(group, child);
      } else {
        const decl = pending.get(child);
        if (decl) decl.parents.push(group);
        else pending.set(child, { line: where.line, state: "children", parents: [group] });
      }
    } catch (error) {
      if (error instanceof InventoryError && error.file) throw error;
      throw new InventoryError(error instanceof Error ? error.message : String(error), where);
    }
  });
  for (const [name, decl] of pending) {
    if (decl.state === "vars")
      throw new InventoryError(`Section [${name}:vars] not valid for undefined group: ${name}`, {
        file,
        line: decl.line,
      });
    throw new InventoryError(
      `Section [${decl.parents[decl.parents.length - 1]}:children] includes undefined group: ${name}`,
      { file, line: decl.line },
    );
  }
}
