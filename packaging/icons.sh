#!/usr/bin/env bash
# Regenerates every icon file from assets/io.github.poplar_mail.Poplar.svg:
# the hicolor PNGs and scalable SVG, assets/icon.png (the window icon, 128 px) and
# packaging/windows/poplar.ico. Needs rsvg-convert (librsvg2-bin) and ImageMagick.
# The macOS .icns is made on a Mac by packaging/macos/make-app.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
id=io.github.poplar_mail.Poplar
svg=assets/$id.svg
out=assets/icons/hicolor

for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$out/${size}x${size}/apps"
    rsvg-convert --width "$size" --height "$size" "$svg" -o "$out/${size}x${size}/apps/$id.png"
done
mkdir -p "$out/scalable/apps"
cp "$svg" "$out/scalable/apps/$id.svg"
cp "$out/128x128/apps/$id.png" assets/icon.png

if command -v magick >/dev/null; then im=magick; else im=convert; fi
ico_parts=()
for size in 16 24 32 48 64 256; do
    ico_parts+=("$out/${size}x${size}/apps/$id.png")
done
"$im" "${ico_parts[@]}" packaging/windows/poplar.ico

echo "icons written under $out, assets/icon.png and packaging/windows/poplar.ico"
