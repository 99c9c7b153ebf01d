# Helpers of the bench's Python fabfile (the twin of lib/release.ts).


def release_plan(root, branch, keep):
    return {"branch": branch, "keep": keep, "dir": "{}/releases/{}".format(root, branch.replace("/", "-"))}


def host_line(c):
    return c.run("echo ok", hide=True).stdout.strip()
