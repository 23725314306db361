#!/bin/sh
# Installs shido: binaries, man pages, shell completions, schema, systemd units and the
# system user. Run from the repository's top level, as root:
#
#   deploy/install.sh                    # build (release) and install under /usr/local
#   PREFIX=/opt/shido deploy/install.sh  # another prefix
#   DESTDIR=/tmp/stage deploy/install.sh # stage into a directory (packaging, tests);
#                                        # then no user is created and systemd is not touched
#   BUILD_DIR=.build/debug SKIP_BUILD=1 deploy/install.sh   # install what is already built
set -eu

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
BUILD_DIR=${BUILD_DIR:-.build/release}
UNIT_DIR=${UNIT_DIR:-/etc/systemd/system}
SYSUSERS_DIR=${SYSUSERS_DIR:-/usr/lib/sysusers.d}

say() { printf '%s\n' "$*" >&2; }

if [ ! -f Package.swift ] || [ ! -d Schema ]; then
    say "run deploy/install.sh from the repository's top level"; exit 64
fi

if [ -z "${SKIP_BUILD:-}" ]; then
    say "building release binaries (a few minutes the first time)"
    swift build -c release --product shidod
    swift build -c release --product shido
fi
for binary in shidod shido; do
    [ -x "$BUILD_DIR/$binary" ] || { say "missing $BUILD_DIR/$binary: build first or unset SKIP_BUILD"; exit 66; }
done

bindir=$DESTDIR$PREFIX/bin
sharedir=$DESTDIR$PREFIX/share
install -d "$bindir" "$sharedir/shido/schema" "$sharedir/man/man1" \
    "$sharedir/bash-completion/completions" "$sharedir/zsh/site-functions" "$sharedir/fish/vendor_completions.d" \
    "$DESTDIR$UNIT_DIR" "$DESTDIR$SYSUSERS_DIR" "$DESTDIR/etc/shido"
install -m 0755 "$BUILD_DIR/shidod" "$BUILD_DIR/shido" "$bindir/"
install -m 0644 Schema/*.sql "$sharedir/shido/schema/"
install -m 0644 deploy/create-database.sql docs/openapi.json "$sharedir/shido/"

"$BUILD_DIR/shido" --generate-completion-script bash > "$sharedir/bash-completion/completions/shido"
"$BUILD_DIR/shido" --generate-completion-script zsh > "$sharedir/zsh/site-functions/_shido"
"$BUILD_DIR/shido" --generate-completion-script fish > "$sharedir/fish/vendor_completions.d/shido.fish"

if [ -z "${SKIP_MANUAL:-}" ]; then
    manuals=$(mktemp -d)
    swift package --allow-writing-to-directory "$manuals" generate-manual --output-directory "$manuals" >/dev/null
    install -m 0644 "$manuals/shido.1" "$manuals/shidod.1" "$sharedir/man/man1/"
    rm -rf "$manuals"
fi

sed "s|@BINDIR@|$PREFIX/bin|" systemd/shidod.service > "$DESTDIR$UNIT_DIR/shidod.service"
install -m 0644 systemd/shidod.socket "$DESTDIR$UNIT_DIR/shidod.socket"
chmod 0644 "$DESTDIR$UNIT_DIR/shidod.service"
install -m 0644 systemd/shido.sysusers "$DESTDIR$SYSUSERS_DIR/shido.conf"
[ -f "$DESTDIR/etc/shido/shidod.conf" ] || install -m 0644 deploy/shidod.conf "$DESTDIR/etc/shido/shidod.conf"

if [ -z "$DESTDIR" ]; then
    systemd-sysusers "$SYSUSERS_DIR/shido.conf"
    systemctl daemon-reload
    say "installed. Start it with:  systemctl enable --now shidod.socket shidod.service"
    say "let people in:  usermod -aG shido alice (read); usermod -aG shido,shido-recorders bob (record)"
else
    say "staged under $DESTDIR"
fi
