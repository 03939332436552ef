#!/usr/bin/env bash
# The packaging check: builds the .deb, validates its desktop entry and AppStream metainfo,
# installs it with apt, runs the installed `poplar --version`, and starts the installed app
# the way a menu does (the desktop entry's Exec line) under Xvfb, then checks that its
# window appeared. Run by .ci/run after the tests; needs root (or sudo) for apt.
#
# What it needs: cargo-deb (installed here with cargo if missing), desktop-file-validate
# (desktop-file-utils), appstreamcli (appstream), Xvfb (xvfb), xdotool, and dbus (the app's
# session bus). .ci/run installs them. A screenshot of the started app is left in
# target/packaging/installed.png when ImageMagick's `import` is there.
set -euo pipefail
cd "$(dirname "$0")/.."

ID=io.github.poplar_mail.Poplar
CARGO_DEB_VERSION=3.8.0
out=target/packaging
mkdir -p "$out"
if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'packaging check FAILED: %s\n' "$*" >&2; exit 1; }

for tool in desktop-file-validate appstreamcli Xvfb xdotool dbus-run-session dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (see the top of this script)"
done
if ! cargo deb --version >/dev/null 2>&1; then
  step "installing cargo-deb $CARGO_DEB_VERSION"
  cargo install cargo-deb --locked --version "$CARGO_DEB_VERSION"
fi

step "desktop-file-validate packaging/linux/$ID.desktop"
desktop-file-validate "packaging/linux/$ID.desktop"
echo "no complaints"

step "appstreamcli validate --no-net packaging/linux/$ID.metainfo.xml"
appstreamcli validate --no-net "packaging/linux/$ID.metainfo.xml"

step "cargo deb --locked (a release build)"
rm -f target/debian/poplar_*.deb
cargo deb --locked
deb=$(ls target/debian/poplar_*.deb)
echo "built $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --field "$deb" Package Version Depends Recommends
dpkg-deb --contents "$deb"

step "apt-get install ./$deb"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
dpkg -L poplar | grep -E '^/usr/(bin|share/(applications|metainfo|icons))/' | sort

step "every library the binary opens at run time is in Depends"
depends=$(dpkg-deb --field "$deb" Depends)
missing=0
# Library names sit inside longer strings (the dlopen tables run names together), so take
# every "lib….so.N" run and find which installed library's name it ends with; a run that
# ends with none is a library this machine does not have, so the Depends miss it.
known=$(ldconfig -p | awk 'NR > 1 { print $1 }' | sort -u)
sonames=$(strings /usr/bin/poplar | grep -oE 'lib[A-Za-z0-9_+-]*\.so\.[0-9]+' | sort -u \
  | awk -v known="$known" '
      BEGIN { n = split(known, names, "\n") }
      {
        best = ""
        for (i = 1; i <= n; i++) {
          name = names[i]
          if (length(name) > length(best) && length(name) <= length($0) &&
              substr($0, length($0) - length(name) + 1) == name) best = name
        }
        if (best == "") { sub(/.*lib/, "lib"); best = $0 }
        print best
      }' | sort -u)
for soname in $sonames; do
  # (awk reads to the end: an early exit would SIGPIPE the writer under pipefail)
  path=$(ldconfig -p | awk -v so="$soname" '$1 == so && !seen { print $NF; seen = 1 }')
  if [ -z "$path" ]; then
    echo "  $soname: not installed after the .deb's Depends"; missing=1; continue
  fi
  package=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | awk -F: 'NR == 1 { print $1 }' || true)
  [ -n "$package" ] || package=$(dpkg -S "$path" 2>/dev/null | awk -F: 'NR == 1 { print $1 }' || true)
  case ", $depends," in
    *", $package,"* | *", $package "* ) echo "  $soname: $package (in Depends)";;
    *) case "$package" in
         libc6 | libgcc-s1 | libssl3 | libssl3t64) echo "  $soname: $package (from \$auto)";;
         *) echo "  $soname: $package is NOT in Depends"; missing=1;;
       esac;;
  esac
done
[ "$missing" = 0 ] || fail "a library opened at run time is not in Depends"

step "poplar --version"
version=$(/usr/bin/poplar --version)
echo "$version"
case "$version" in poplar\ *) ;; *) fail "unexpected --version: $version";; esac

step "start the installed app from its desktop entry under Xvfb"
entry=/usr/share/applications/$ID.desktop
desktop-file-validate "$entry"
exec_line=$(sed -n 's/^Exec=//p' "$entry" | awk 'NR == 1')
# The field codes (%F, %u, …) stand for files; a start from the menu passes none.
command=$(printf '%s' "$exec_line" | sed -E 's/ ?%[fFuUdDnNickvm]//g')
echo "Exec=$exec_line -> $command"
home=$(mktemp -d)
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT
sleep 1
(
  export DISPLAY=$display HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config
  export XDG_RUNTIME_DIR=$home/run
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  unset POPLAR_DATA_DIR WAYLAND_DISPLAY
  exec dbus-run-session -- sh -c "$command"
) >"$out/app.log" 2>&1 &
app=$!
window=""
for _ in $(seq 1 60); do
  window=$(DISPLAY=$display xdotool search --onlyvisible --class "$ID" 2>/dev/null | awk 'NR == 1' || true)
  [ -n "$window" ] && break
  kill -0 "$app" 2>/dev/null || { cat "$out/app.log"; fail "the app exited before a window appeared"; }
  sleep 0.5
done
[ -n "$window" ] || { cat "$out/app.log"; fail "no window of class $ID appeared in 30 s"; }
echo "window $window: \"$(DISPLAY=$display xdotool getwindowname "$window")\", class $ID"
[ -f "$home/.local/share/poplar/poplar.sqlite3" ] || fail "the app made no store in the user's data directory"
echo "store created in \$XDG_DATA_HOME/poplar"
if command -v import >/dev/null 2>&1; then
  sleep 2
  DISPLAY=$display import -window root "$out/installed.png" && echo "screenshot: $out/installed.png"
fi
echo
echo "packaging check passed"
