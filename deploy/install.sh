#!/usr/bin/env bash
# deploy/install.sh: turn a fresh Debian 12 machine into a 政务服务自助终端 (docs/deployment.md).
#
#   sudo deploy/install.sh --bundle dist/kiosk --terminal-id YC-24H-01 \
#        --terminal-name "24小时自助区 1 号" --zone 24h --printer 0416:5011
#
# Idempotent: run it again with the same arguments and nothing changes; with a new bundle it
# installs that as a new release (the previous ones stay for a roll-back). What it does, in order:
#   1. Debian packages: cage (or Xorg for --session x11) and the libraries Qt loads. No Python
#      and no fonts: the bundle carries its own (NotoSansCJK, SIL OFL 1.1).
#   2. the user `kiosk` (system user, home /var/lib/zwfw-kiosk = the data folder), group lp.
#   3. the bundle as /opt/zwfw-kiosk/releases/<version>-<hash>/, /opt/zwfw-kiosk/current → it,
#      /opt/zwfw-kiosk/kiosk → current/kiosk; the 3 newest releases are kept.
#   4. /etc/zwfw-kiosk/kiosk.toml from the arguments (an edited file is kept: the new one is
#      written beside it as kiosk.toml.new unless --overwrite-config).
#   5. /usr/local/bin/kiosk: the kiosk command, run as the user kiosk with that configuration.
#   6. systemd units (kiosk, nightly backup, device check, nightly purge), the PAM service for the kiosk's
#      session, the printer's udev rule, no sleep/suspend, no console blanking, the time zone.
#   7. enables the units, boots into graphical.target; with --start, starts the kiosk now.
#
# --root DIR installs into DIR instead of / (a throwaway root for tests or an image build):
# no packages, no running services touched; units are enabled with `systemctl --root`.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROGRAM=$(basename "$0")

ROOT=""
BUNDLE=""
PRINTER=""
IDCARD=""
SCANNER=""
PROFILE="generic-80"
TERMINAL_ID=""
TERMINAL_NAME=""
ZONE="hall"
SESSION="cage"
TIMEZONE="Asia/Shanghai"
CATALOG=""
INSTALL_PACKAGES=1
START=0
OVERWRITE_CONFIG=0
KEEP_RELEASES=3

KIOSK_USER="kiosk"
APP_DIR="/opt/zwfw-kiosk"
CONFIG_DIR="/etc/zwfw-kiosk"
DATA_DIR="/var/lib/zwfw-kiosk"

usage() {
    cat <<EOF
Usage: $PROGRAM --bundle DIR --terminal-id ID --terminal-name NAME [options]

  --bundle DIR           the built bundle (make bundle: dist/kiosk)
  --terminal-id ID       terminal number printed on slips, e.g. YC-HALL-01 (A-Z a-z 0-9 - _ .)
  --terminal-name NAME   name shown to staff, e.g. "大厅自助终端 1 号"
  --zone hall|24h        the hall or the 24-hour self-service zone (default: hall)
  --printer VID:PID      USB receipt printer (lsusb), e.g. 0416:5011; default: none (sim://)
  --printer-profile P    printer profile (kiosk printer profiles; default: generic-80)
  --idcard VID:PID       ID card reader's USB-serial adapter (lsusb), e.g. 1a86:7523; default: none
  --scanner VID:PID      code scanner in serial mode (lsusb); default: none (a keyboard-mode scanner needs none)
  --session cage|x11     cage (Wayland, default) or a bare X session
  --timezone TZ          default: Asia/Shanghai
  --catalog FILE         import this kiosk-catalog/1 file after installing
  --overwrite-config     replace an existing /etc/zwfw-kiosk/kiosk.toml
  --start                start (or restart) the kiosk at the end
  --no-packages          do not install Debian packages
  --root DIR             install into DIR instead of / (no packages, nothing started)
  -h, --help             this text
EOF
}

die() { echo "$PROGRAM: $*" >&2; exit 2; }
say() { echo "==> $*"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) BUNDLE=${2:?}; shift 2 ;;
        --terminal-id) TERMINAL_ID=${2:?}; shift 2 ;;
        --terminal-name) TERMINAL_NAME=${2:?}; shift 2 ;;
        --zone) ZONE=${2:?}; shift 2 ;;
        --printer) PRINTER=${2:?}; shift 2 ;;
        --printer-profile) PROFILE=${2:?}; shift 2 ;;
        --idcard) IDCARD=${2:?}; shift 2 ;;
        --scanner) SCANNER=${2:?}; shift 2 ;;
        --session) SESSION=${2:?}; shift 2 ;;
        --timezone) TIMEZONE=${2:?}; shift 2 ;;
        --catalog) CATALOG=${2:?}; shift 2 ;;
        --overwrite-config) OVERWRITE_CONFIG=1; shift ;;
        --start) START=1; shift ;;
        --no-packages) INSTALL_PACKAGES=0; shift ;;
        --root) ROOT=${2:?}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done

# --- checks -------------------------------------------------------------------------------------

[ -n "$BUNDLE" ] || die "--bundle DIR is required (make bundle builds dist/kiosk)"
if [ ! -x "$BUNDLE/kiosk" ] || [ ! -d "$BUNDLE/_internal" ]; then
    die "$BUNDLE is not a kiosk bundle (no kiosk and _internal/ in it)"
fi
[ -n "$TERMINAL_ID" ] || die "--terminal-id is required"
[[ "$TERMINAL_ID" =~ ^[A-Za-z0-9_.-]{1,40}$ ]] || die "--terminal-id '$TERMINAL_ID' may hold only A-Z a-z 0-9 - _ . (40 at most)"
[ -n "$TERMINAL_NAME" ] || die "--terminal-name is required"
case "$ZONE" in hall|24h) ;; *) die "--zone must be hall or 24h, not '$ZONE'" ;; esac
case "$SESSION" in cage|x11) ;; *) die "--session must be cage or x11, not '$SESSION'" ;; esac
if [ -n "$PRINTER" ]; then
    [[ "$PRINTER" =~ ^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$ ]] || die "--printer must be VID:PID in hex as lsusb shows it, e.g. 0416:5011, not '$PRINTER'"
    PRINTER=$(echo "$PRINTER" | tr 'A-F' 'a-f')
fi
for option in idcard scanner; do
    value=$([ "$option" = idcard ] && echo "$IDCARD" || echo "$SCANNER")
    if [ -n "$value" ]; then
        [[ "$value" =~ ^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$ ]] || die "--$option must be VID:PID in hex as lsusb shows it, e.g. 1a86:7523, not '$value'"
    fi
done
IDCARD=$(echo "$IDCARD" | tr 'A-F' 'a-f')
SCANNER=$(echo "$SCANNER" | tr 'A-F' 'a-f')
[[ "$PROFILE" =~ ^[A-Za-z0-9_.-]+$ ]] || die "--printer-profile '$PROFILE' is not a profile name"
[ -z "$CATALOG" ] || [ -f "$CATALOG" ] || die "--catalog: no such file: $CATALOG"
if [ -n "$ROOT" ]; then
    [ -d "$ROOT" ] || die "--root $ROOT: no such folder"
    ROOT=$(cd "$ROOT" && pwd)
    INSTALL_PACKAGES=0
    START=0
    [ -z "$CATALOG" ] || die "--catalog needs a real install (not --root)"
fi
[ "$(id -u)" = 0 ] || die "run as root (sudo $0 …)"
if [ -z "$ROOT" ] && ! grep -qs '^VERSION_ID="12"' /etc/os-release; then
    echo "$PROGRAM: warning: this is not Debian 12; going on" >&2
fi

CHANGED=0
# install_file SRC DEST MODE [OWNER]: copy only when the content differs
install_file() {
    local src=$1 dest=$ROOT$2 mode=$3 owner=${4:-0:0}
    mkdir -p "$(dirname "$dest")"
    if [ -f "$dest" ] && cmp -s "$src" "$dest"; then
        chmod "$mode" "$dest"; chown "$owner" "$dest"
        return 0
    fi
    install -m "$mode" "$src" "$dest"
    chown "$owner" "$dest"
    echo "    wrote $2"
    CHANGED=1
}
# write_file DEST MODE [OWNER] < content
write_file() {
    local tmp
    tmp=$(mktemp)
    cat > "$tmp"
    install_file "$tmp" "$1" "$2" "${3:-0:0}"
    rm -f "$tmp"
}
toml_string() { # a TOML basic string
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# --- 1. packages ----------------------------------------------------------------------------------

# What the bundle loads from the system: OpenGL/EGL, Wayland or X client libraries, fontconfig,
# D-Bus, libusb; the input methods and speech (docs/input.md). Python, Qt and the CJK font are in
# the bundle.
RUNTIME_PACKAGES="libegl1 libgl1 libopengl0 libfontconfig1 fontconfig libdbus-1-3 libglib2.0-0 libxkbcommon0 libusb-1.0-0 dbus systemd-timesyncd libzinnia0 tegaki-zinnia-simplified-chinese librime1 librime-data rime-data-luna-pinyin espeak-ng sox"
if [ "$SESSION" = cage ]; then
    SESSION_PACKAGES="cage libwayland-client0 libwayland-cursor0 libwayland-egl1"
else
    SESSION_PACKAGES="xserver-xorg-core xserver-xorg-input-libinput xinit x11-xserver-utils libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1"
fi
if [ "$INSTALL_PACKAGES" = 1 ]; then
    say "Debian packages"
    missing=""
    for p in $RUNTIME_PACKAGES $SESSION_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        apt-get update -qq
        # shellcheck disable=SC2086  # a list of package names
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    fi
fi

# --- 2. the user ----------------------------------------------------------------------------------

say "user $KIOSK_USER"
root_args=()
[ -z "$ROOT" ] || root_args=(--root "$ROOT")
if ! grep -q "^$KIOSK_USER:" "$ROOT/etc/passwd"; then
    useradd "${root_args[@]}" --system --user-group --home-dir "$DATA_DIR" --no-create-home \
        --shell /usr/sbin/nologin --comment "zwfw-kiosk self-service terminal" "$KIOSK_USER"
    CHANGED=1
fi
if ! grep -q "^lp:.*[:,]$KIOSK_USER\(,\|$\)" "$ROOT/etc/group"; then
    usermod "${root_args[@]}" -a -G lp "$KIOSK_USER"
    CHANGED=1
fi
# the ID card reader and a serial scanner (group dialout, deploy/udev)
if grep -q "^dialout:" "$ROOT/etc/group" && ! grep -q "^dialout:.*[:,]$KIOSK_USER\(,\|$\)" "$ROOT/etc/group"; then
    usermod "${root_args[@]}" -a -G dialout "$KIOSK_USER"
    CHANGED=1
fi
KIOSK_UID=$(awk -F: -v u="$KIOSK_USER" '$1 == u {print $3}' "$ROOT/etc/passwd")
KIOSK_GID=$(awk -F: -v u="$KIOSK_USER" '$1 == u {print $4}' "$ROOT/etc/passwd")
mkdir -p "$ROOT$DATA_DIR"
chown "$KIOSK_UID:$KIOSK_GID" "$ROOT$DATA_DIR"
chmod 0750 "$ROOT$DATA_DIR"

# --- 3. the bundle --------------------------------------------------------------------------------

say "bundle → $APP_DIR"
VERSION=$("$BUNDLE/kiosk" --version 2>/dev/null | awk '{print $2}') || VERSION=""
[ -n "$VERSION" ] || VERSION=unknown
HASH=$(sha256sum "$BUNDLE/kiosk" | cut -c1-10)
RELEASE="$VERSION-$HASH"
RELEASES="$ROOT$APP_DIR/releases"
mkdir -p "$RELEASES"
if [ ! -x "$RELEASES/$RELEASE/kiosk" ]; then
    rm -rf "$RELEASES/.$RELEASE.partial"
    cp -a "$BUNDLE" "$RELEASES/.$RELEASE.partial"
    chown -R 0:0 "$RELEASES/.$RELEASE.partial"
    chmod -R go-w "$RELEASES/.$RELEASE.partial"
    mv "$RELEASES/.$RELEASE.partial" "$RELEASES/$RELEASE"
    echo "    new release $RELEASE"
    CHANGED=1
fi
if [ "$(readlink "$ROOT$APP_DIR/current" 2>/dev/null)" != "releases/$RELEASE" ]; then
    ln -sfn "releases/$RELEASE" "$ROOT$APP_DIR/current"
    echo "    current → releases/$RELEASE"
    CHANGED=1
fi
if [ "$(readlink "$ROOT$APP_DIR/kiosk" 2>/dev/null)" != "current/kiosk" ]; then
    ln -sfn current/kiosk "$ROOT$APP_DIR/kiosk"
    CHANGED=1
fi
# keep the newest releases (by install time), never the current one
mapfile -t releases < <(find "$RELEASES" -mindepth 1 -maxdepth 1 -type d ! -name '.*' ! -name "$RELEASE" -printf '%T@ %f\n' | sort -rn | cut -d' ' -f2-)
for r in "${releases[@]:$((KEEP_RELEASES - 1))}"; do
    rm -rf "${RELEASES:?}/$r"
    echo "    removed old release $r"
done
if [ -f "$HERE/../docs/deployment.md" ]; then
    install_file "$HERE/../docs/deployment.md" "$APP_DIR/docs/deployment.md" 0644
fi
if [ "$SESSION" = x11 ]; then
    install_file "$HERE/x11/xsession" "$APP_DIR/xsession" 0755
fi

# --- 4. configuration -----------------------------------------------------------------------------

say "configuration $CONFIG_DIR/kiosk.toml"
if [ -n "$PRINTER" ]; then PRINTER_URI="usb://$PRINTER"; else PRINTER_URI="sim://"; fi
CONFIG_TMP=$(mktemp)
cat > "$CONFIG_TMP" <<EOF
# This terminal's configuration (docs/configuration.md), written by deploy/install.sh.
[terminal]
id = $(toml_string "$TERMINAL_ID")
name = $(toml_string "$TERMINAL_NAME")
zone = "$ZONE"

[paths]
data_dir = "$DATA_DIR"

[printer]
uri = "$PRINTER_URI"
profile = "$PROFILE"

[logs]
max_size_mb = 10
backup_count = 5
EOF
if [ -n "$IDCARD" ]; then
    printf '\n[idcard]\nuri = "serial:///dev/zwfw-idcard?baud=115200"\n' >> "$CONFIG_TMP"
fi
if [ -n "$SCANNER" ]; then
    printf '\n[scanner]\nuri = "serial:///dev/zwfw-scanner?baud=9600"\n' >> "$CONFIG_TMP"
fi
mkdir -p "$ROOT$CONFIG_DIR"
chown "0:$KIOSK_GID" "$ROOT$CONFIG_DIR"
chmod 0750 "$ROOT$CONFIG_DIR"
if [ -f "$ROOT$CONFIG_DIR/kiosk.toml" ] && ! cmp -s "$CONFIG_TMP" "$ROOT$CONFIG_DIR/kiosk.toml" && [ "$OVERWRITE_CONFIG" = 0 ]; then
    install_file "$CONFIG_TMP" "$CONFIG_DIR/kiosk.toml.new" 0640 "0:$KIOSK_GID"
    echo "    $CONFIG_DIR/kiosk.toml differs from the arguments and was kept; the new one is kiosk.toml.new" \
         "(compare, or run again with --overwrite-config)" >&2
else
    install_file "$CONFIG_TMP" "$CONFIG_DIR/kiosk.toml" 0640 "0:$KIOSK_GID"
    rm -f "$ROOT$CONFIG_DIR/kiosk.toml.new"
fi
rm -f "$CONFIG_TMP"

# --- 5. the kiosk command -------------------------------------------------------------------------

write_file /usr/local/bin/kiosk 0755 <<EOF
#!/bin/sh
# The kiosk command of this terminal (deploy/install.sh): the installed bundle with
# $CONFIG_DIR/kiosk.toml, run as the user $KIOSK_USER so that files it writes stay the kiosk's.
export KIOSK_CONFIG="\${KIOSK_CONFIG:-$CONFIG_DIR/kiosk.toml}"
if [ "\$(id -u)" = 0 ]; then
    exec runuser -u $KIOSK_USER -- env HOME=$DATA_DIR LANG=C.UTF-8 KIOSK_CONFIG="\$KIOSK_CONFIG" $APP_DIR/kiosk "\$@"
fi
exec $APP_DIR/kiosk "\$@"
EOF

# --- 6. system integration ------------------------------------------------------------------------

say "systemd units, PAM, udev, power and screen settings"
UNITS_DIR=/etc/systemd/system
if [ "$SESSION" = cage ]; then
    install_file "$HERE/systemd/zwfw-kiosk.service" "$UNITS_DIR/zwfw-kiosk.service" 0644
else
    install_file "$HERE/x11/zwfw-kiosk.service" "$UNITS_DIR/zwfw-kiosk.service" 0644
fi
for unit in zwfw-kiosk-backup.service zwfw-kiosk-backup.timer zwfw-kiosk-devices-check.service zwfw-kiosk-devices-check.timer \
    zwfw-kiosk-purge.service zwfw-kiosk-purge.timer; do
    install_file "$HERE/systemd/$unit" "$UNITS_DIR/$unit" 0644
done
install_file "$HERE/pam/zwfw-kiosk" /etc/pam.d/zwfw-kiosk 0644

RULE=/etc/udev/rules.d/60-zwfw-kiosk-printer.rules
if [ -n "$PRINTER" ]; then
    sed -e "s/@VENDOR_ID@/${PRINTER%%:*}/" -e "s/@PRODUCT_ID@/${PRINTER##*:}/" "$HERE/udev/60-zwfw-kiosk-printer.rules.in" \
        | write_file "$RULE" 0644
elif [ -f "$ROOT$RULE" ]; then
    rm -f "$ROOT$RULE"
    echo "    removed $RULE (no --printer)"
    CHANGED=1
fi

for device in idcard scanner; do
    ids=$([ "$device" = idcard ] && echo "$IDCARD" || echo "$SCANNER")
    RULE=/etc/udev/rules.d/60-zwfw-kiosk-$device.rules
    if [ -n "$ids" ]; then
        sed -e "s/@VENDOR_ID@/${ids%%:*}/" -e "s/@PRODUCT_ID@/${ids##*:}/" "$HERE/udev/60-zwfw-kiosk-$device.rules.in" \
            | write_file "$RULE" 0644
    elif [ -f "$ROOT$RULE" ]; then
        rm -f "$ROOT$RULE"
        echo "    removed $RULE (no --$device)"
        CHANGED=1
    fi
done

# A kiosk never sleeps, never suspends, ignores the power key and lid, and its console never
# blanks. cage has no screen blanking of its own; the X session turns it off (xset, -s 0 -dpms).
write_file /etc/systemd/logind.conf.d/zwfw-kiosk.conf 0644 <<'EOF'
# zwfw-kiosk: the terminal stays on (deploy/install.sh)
[Login]
HandlePowerKey=ignore
HandleSuspendKey=ignore
HandleHibernateKey=ignore
HandleLidSwitch=ignore
HandleLidSwitchExternalPower=ignore
IdleAction=ignore
EOF
write_file /etc/default/grub.d/zwfw-kiosk.cfg 0644 <<'EOF'
# zwfw-kiosk: the text console never blanks either (deploy/install.sh; run update-grub)
GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT consoleblank=0"
EOF

if [ -e "/usr/share/zoneinfo/$TIMEZONE" ]; then
    if [ "$(readlink "$ROOT/etc/localtime" 2>/dev/null)" != "/usr/share/zoneinfo/$TIMEZONE" ]; then
        mkdir -p "$ROOT/etc"
        ln -sfn "/usr/share/zoneinfo/$TIMEZONE" "$ROOT/etc/localtime"
        echo "$TIMEZONE" > "$ROOT/etc/timezone"
        echo "    time zone $TIMEZONE"
        CHANGED=1
    fi
else
    echo "$PROGRAM: warning: unknown time zone $TIMEZONE; left as it is" >&2
fi

# --- 7. enable and start --------------------------------------------------------------------------

say "enable"
ENABLE_UNITS="zwfw-kiosk.service zwfw-kiosk-backup.timer zwfw-kiosk-devices-check.timer zwfw-kiosk-purge.timer"
MASK_UNITS="sleep.target suspend.target hibernate.target hybrid-sleep.target"
if [ -n "$ROOT" ]; then
    # shellcheck disable=SC2086
    systemctl --root="$ROOT" --quiet enable $ENABLE_UNITS
    # shellcheck disable=SC2086
    systemctl --root="$ROOT" --quiet mask $MASK_UNITS
    ln -sfn /lib/systemd/system/graphical.target "$ROOT/etc/systemd/system/default.target"
else
    systemctl daemon-reload
    # shellcheck disable=SC2086
    systemctl --quiet enable $ENABLE_UNITS
    # shellcheck disable=SC2086
    systemctl --quiet mask $MASK_UNITS
    systemctl set-default graphical.target >/dev/null
    systemctl restart systemd-logind.service || true  # picks up logind.conf.d (no session of ours yet)
    if command -v update-grub >/dev/null && [ "$CHANGED" = 1 ]; then update-grub 2>/dev/null || true; fi
    udevadm control --reload
    udevadm trigger --subsystem-match=usb --action=add || true
    udevadm trigger --subsystem-match=tty --action=add || true
    say "database"
    /usr/local/bin/kiosk db upgrade
    if [ -n "$CATALOG" ]; then
        install -m 0644 "$CATALOG" "$DATA_DIR/catalog-import.json"
        /usr/local/bin/kiosk catalog import "$DATA_DIR/catalog-import.json"
        rm -f "$DATA_DIR/catalog-import.json"
    fi
    systemctl start zwfw-kiosk-backup.timer zwfw-kiosk-devices-check.timer zwfw-kiosk-purge.timer
    if [ "$START" = 1 ]; then
        say "starting the kiosk"
        systemctl restart zwfw-kiosk.service
    fi
fi

if [ "$CHANGED" = 1 ]; then
    say "done: terminal $TERMINAL_ID ($ZONE), release $RELEASE"
else
    say "done: nothing changed (terminal $TERMINAL_ID, release $RELEASE)"
fi
