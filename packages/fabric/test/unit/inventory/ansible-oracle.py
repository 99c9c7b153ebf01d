"""Ask Ansible itself (ansible-core) about inventories: for each case on stdin (JSON list of
{"dir", "sources", "patterns": [{"pattern", "limit"}]}), print what `ansible-inventory --list`
prints and the hosts `ansible PATTERN [--limit L] --list-hosts` selects, as one JSON document.
Runs the real command-line classes and InventoryManager in one process (each CLI start costs
seconds). Our own script: it calls Ansible, it contains none of Ansible's code."""
import contextlib
import io
import json
import os
import sys

# A source no plugin can parse is an error (by default Ansible warns and goes on without it).
os.environ.setdefault("ANSIBLE_INVENTORY_UNPARSED_FAILED", "1")

from ansible.utils.context_objects import GlobalCLIArgs
from ansible.cli.inventory import InventoryCLI
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader


def inventory_list(case):
    args = ["ansible-inventory"]
    for source in case["sources"]:
        args += ["-i", os.path.join(case["dir"], source)]
    args.append("--list")
    out, err = io.StringIO(), io.StringIO()
    # The parsed command line is a process-wide singleton: forget the previous case's.
    GlobalCLIArgs._Singleton__instance = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = InventoryCLI(args).run()
    except SystemExit as error:
        status = error.code
    except BaseException as error:  # AnsibleError and the like
        return {"error": str(error) or type(error).__name__}
    if status:
        return {"error": "exit %s" % status}
    return json.loads(out.getvalue())


def hosts_for(case):
    sources = [os.path.join(case["dir"], s) for s in case["sources"]]
    try:
        inventory = InventoryManager(loader=DataLoader(), sources=sources)
    except BaseException as error:
        return {"error": str(error)}
    result = {}
    for entry in case["patterns"]:
        key = entry["pattern"] + (" --limit " + entry["limit"] if entry.get("limit") else "")
        try:
            inventory.clear_pattern_cache()
            inventory.remove_restriction()
            inventory.subset(entry.get("limit"))
            result[key] = [h.name for h in inventory.get_hosts(entry["pattern"])]
        except BaseException as error:
            result[key] = {"error": str(error)}
    return result


def main():
    cases = json.load(sys.stdin)
    out = {}
    for case in cases:
        out[case["name"]] = {"list": inventory_list(case), "hosts": hosts_for(case)}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


main()
