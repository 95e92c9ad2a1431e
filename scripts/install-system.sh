#!/bin/sh
# The system packages nordubl needs, in one place: the Dockerfile runs `install-system.sh runtime`,
# CI (.ci/run) runs `install-system.sh ci` before `make test`. Idempotent: a package already installed
# is skipped, and nothing is fetched when everything is present.
#
#   scripts/install-system.sh runtime     WeasyPrint (Pango, HarfBuzz subsetting) and fonts with Nordic glyphs
#   scripts/install-system.sh image       runtime + a Java 17 runtime (the jvm validation engine; the Dockerfile)
#   scripts/install-system.sh ci          image + PostgreSQL server (test databases), Chromium, poppler-utils
#   scripts/install-system.sh --list ci   print the packages of a group, install nothing
#   scripts/install-system.sh --check ci  exit 1 and name the missing packages, install nothing
#
# Debian 12 (bookworm) package names: the image is built FROM python:3.11-slim-bookworm.
set -eu

RUNTIME_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core fonts-inter"
# The jvm validation engine (app/validation/jvm.py): Saxon-HE on HotSpot; without it the engine is saxonche.
JVM_PACKAGES="openjdk-17-jre-headless"
CI_PACKAGES="postgresql chromium poppler-utils"

usage() {
    echo "usage: $0 [--list|--check] runtime|image|ci" >&2
    exit 2
}

mode=install
case "${1:-}" in
    --list) mode=list; shift ;;
    --check) mode=check; shift ;;
esac
[ $# -eq 1 ] || usage
case "$1" in
    runtime) packages="$RUNTIME_PACKAGES" ;;
    image) packages="$RUNTIME_PACKAGES $JVM_PACKAGES" ;;
    ci) packages="$RUNTIME_PACKAGES $JVM_PACKAGES $CI_PACKAGES" ;;
    *) usage ;;
esac

if [ "$mode" = list ]; then
    for p in $packages; do echo "$p"; done
    exit 0
fi

# present PACKAGE: installed by dpkg, or (for the PostgreSQL server) its binaries found elsewhere.
present() {
    if dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; then
        return 0
    fi
    case "$1" in
        postgresql)
            ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 ;;
        *) return 1 ;;
    esac
}

missing=""
for p in $packages; do
    present "$p" || missing="$missing $p"
done

if [ -z "$missing" ]; then
    echo "install-system: all $1 packages present"
    exit 0
fi
if [ "$mode" = check ]; then
    echo "install-system: missing:$missing" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "install-system: missing:$missing. Install them as root, then run make again:" >&2
    echo "    apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi

echo "install-system: installing$missing"
# Slim Debian images drop /usr/share/man; the JRE's postinst links its man page there (update-alternatives).
case " $missing " in
    *" openjdk-17-jre-headless "*) $sudo mkdir -p /usr/share/man/man1 ;;
esac
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086 # one word per package
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
if [ "${INSTALL_SYSTEM_CLEAN:-0}" = 1 ]; then
    # image builds: keep no package lists in the layer
    $sudo apt-get clean
    $sudo rm -rf /var/lib/apt/lists/*
fi
echo "install-system: done"
