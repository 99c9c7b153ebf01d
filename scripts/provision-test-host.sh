#!/usr/bin/env bash
# Prepares a machine for fabric-ts's integration tests (the throwaway sshd of @fabric-ts/testing).
# Idempotent; root only; installs packages only when something is missing.
#   - openssh-server (sshd) and openssh-client (ssh, ssh-keygen, ssh-agent, ssh-add)
#   - sudo (sudo tests), passwd (useradd/chpasswd), procps (pkill, used by the sshd watchdog)
#   - /run/sshd, which a root sshd needs
#   - ansible-core (ansible-inventory): the inventory corpus also asks Ansible itself, live
#     (about a minute to install; the recorded answers are compared without it)
# The test users (fabts, fabts-nopw) and their sudoers drop-in are created by the harness itself
# on first use, so a developer machine needs nothing beyond these packages.
set -euo pipefail

if [ "$(id -u)" != "0" ]; then
  echo "provision-test-host: must run as root" >&2
  exit 1
fi

missing=()
need() { # need <command> <package>
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$1" ] && [ ! -x "/sbin/$1" ]; then
    missing+=("$2")
  fi
}
need sshd openssh-server
need ssh openssh-client
need ssh-keygen openssh-client
need ssh-agent openssh-client
need ssh-add openssh-client
need sudo sudo
need visudo sudo
need useradd passwd
need chpasswd passwd
need pkill procps
need ansible-inventory ansible-core

if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "provision-test-host: missing ${packages[*]} and no apt-get; install them by hand" >&2
    exit 1
  fi
  echo "provision-test-host: installing ${packages[*]}"
  # Keep package scripts from starting a system sshd on port 22: the tests start their own.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    added_policy=1
  fi
  trap '[ "$added_policy" = 1 ] && rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}"
else
  echo "provision-test-host: openssh-server, openssh-client, sudo, passwd and procps already installed"
fi

mkdir -p /run/sshd
chmod 755 /run/sshd
echo "provision-test-host: ready ($(sshd -V 2>&1 | head -n 1 || true))"
