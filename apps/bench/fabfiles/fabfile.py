# The Python twin of fabfile.ts (bench scenario (g)): same tasks, same local helper module.
from fabric import task

from lib_release import host_line, release_plan


@task(help={"branch": "branch to release", "keep": "releases to keep"})
def deploy(c, branch="main", keep=5):
    """Check the host and plan a release of a branch."""
    plan = release_plan("/srv/app", branch, int(keep))
    line = host_line(c)
    if plan["keep"] < 1:
        raise ValueError("keep must be positive")
    print(line)


@task
def status(c):
    """Show the host's uptime."""
    c.run("uptime")


@task
def rollback(c, steps=1):
    """Point current at an earlier release."""
    c.run("ls -1dt /srv/app/releases/* | sed -n {}p".format(int(steps) + 1))


@task
def logs(c, lines=50, follow=False):
    """Tail the app's log."""
    c.run("tail -n {} {}/srv/app/log/app.log".format(int(lines), "-f " if follow else ""))
