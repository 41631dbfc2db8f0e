#!/bin/sh
# A Debian bookworm image with python3, made from Debian's packages (debootstrap), for machines
# that reach Debian's mirror but no image registry. Usage: make-base.sh [image-name]
set -eu
name="${1:-localhost/wxalbum-base:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$root" "$mirror" >/dev/null
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
# apt inside the image uses the same mirror
echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"
tar -C "$root" -c . | podman import --change 'CMD ["/bin/bash"]' - "$name" >/dev/null
echo "$name"
