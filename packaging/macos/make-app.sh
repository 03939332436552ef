#!/usr/bin/env bash
# Builds target/macos/Poplar.app on a Mac: the release binary, Info.plist with the version
# from Cargo.toml, and Poplar.icns made from the hicolor PNGs. Then signs the bundle ad hoc
# (enough to run on this Mac; not for distribution), unless --no-sign is given.
#
#   packaging/macos/make-app.sh [--no-sign] [--target TRIPLE]
#
# Needs the Xcode command line tools (iconutil, codesign, PlistBuddy) and Rust.
set -euo pipefail

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}

sign=1
target=
while [ $# -gt 0 ]; do
    case "$1" in
        --no-sign) sign=0 ;;
        --target)
            [ $# -ge 2 ] || { echo "make-app.sh: --target needs a triple" >&2; exit 2; }
            target=$2
            shift
            ;;
        -h | --help) usage; exit 0 ;;
        *) echo "make-app.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if [ "$(uname -s)" != Darwin ]; then
    echo "make-app.sh: this builds a macOS app bundle and needs macOS (iconutil, codesign)" >&2
    exit 1
fi

cd "$(dirname "$0")/../.."
id=io.github.poplar_mail.Poplar
out=target/macos
app=$out/Poplar.app
icons=assets/icons/hicolor

# 1. The binary.
if [ -n "$target" ]; then
    cargo build --release --locked --target "$target"
    bin=target/$target/release/poplar
else
    cargo build --release --locked
    bin=target/release/poplar
fi

# 2. The bundle skeleton, the binary and Info.plist (its versions taken from Cargo.toml).
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "$bin" "$app/Contents/MacOS/poplar"
cp packaging/macos/Info.plist "$app/Contents/Info.plist"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
if [ -z "$version" ]; then
    echo "make-app.sh: no version found in Cargo.toml" >&2
    exit 1
fi
/usr/libexec/PlistBuddy -c "Set :CFBundleShortVersionString $version" \
    -c "Set :CFBundleVersion $version" "$app/Contents/Info.plist"
printf 'APPL????' > "$app/Contents/PkgInfo"

# 3. Poplar.icns, through an .iconset: each size at 1x and 2x.
iconset=$out/Poplar.iconset
rm -rf "$iconset"
mkdir -p "$iconset"
for size in 16 32 128 256 512; do
    cp "$icons/${size}x${size}/apps/$id.png" "$iconset/icon_${size}x${size}.png"
    double=$((size * 2))
    if [ -f "$icons/${double}x${double}/apps/$id.png" ]; then
        cp "$icons/${double}x${double}/apps/$id.png" "$iconset/icon_${size}x${size}@2x.png"
    elif command -v rsvg-convert >/dev/null; then
        # 1024 px: there is no hicolor PNG that large, so render it from the SVG ...
        rsvg-convert -w "$double" -h "$double" "assets/$id.svg" -o "$iconset/icon_${size}x${size}@2x.png"
    else
        # ... or, without librsvg, scale up the 512 px one.
        sips -z "$double" "$double" "$icons/${size}x${size}/apps/$id.png" \
            --out "$iconset/icon_${size}x${size}@2x.png" >/dev/null
    fi
done
iconutil --convert icns --output "$app/Contents/Resources/Poplar.icns" "$iconset"
rm -rf "$iconset"

# 4. An ad-hoc signature, so the bundle (binary, Info.plist, resources) is sealed as one.
if [ "$sign" = 1 ]; then
    codesign --force --deep -s - "$app"
    codesign --verify --verbose=1 "$app"
fi

echo "made $app (version $version)"
