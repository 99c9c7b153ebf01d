"""Python Fabric side of the fabric-ts bench: the same operations through Fabric's public API.

Hosts, user, key and port come from ~/.ssh/config of the bench's HOME. Usage:
  fabric_bench.py seq ADDRESS COUNT COMMAND
  fabric_bench.py group COMMAND ADDRESS...
  fabric_bench.py put ADDRESS LOCAL REMOTE
  fabric_bench.py get ADDRESS REMOTE LOCAL
"""
import sys

from fabric import Connection, ThreadingGroup


def main(argv):
    mode = argv[1]
    if mode == "seq":
        address, count, command = argv[2], int(argv[3]), argv[4]
        with Connection(address) as c:
            out = [c.run(command, hide=True).stdout for _ in range(count)]
        sys.stdout.write("".join(out))
    elif mode == "group":
        command, addresses = argv[2], argv[3:]
        with ThreadingGroup(*addresses) as group:
            results = group.run(command, hide=True)
        sys.stdout.write("".join(r.stdout for r in results.values()))
    elif mode == "put":
        with Connection(argv[2]) as c:
            c.put(argv[3], argv[4])
    elif mode == "get":
        with Connection(argv[2]) as c:
            c.get(argv[3], argv[4])
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
