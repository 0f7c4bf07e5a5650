#!/usr/bin/env bash
# Vendors the front-end files the project uses, from exact npm versions, without a build
# step: `npm pack pkg@version`, check the tarball's SHA-256, extract, copy the few files
# we serve (plus their licences) into static/vendor/ and tests/vendor/.
#
#   scripts/vendor.sh              # fetch with `npm pack` into a temporary directory
#   NPM_TARBALLS=/tmp/npmv scripts/vendor.sh   # use tarballs already downloaded there
#
# To upgrade a package: change its version and checksum below, run the script, update
# static/vendor/VERSIONS.md, run the axe browser tests (tests/browser/) and look at the
# screenshots: NL Design System CSS packages have renamed and dropped files in patches.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

# package@version  tarball name (as npm pack writes it)  sha256 of the tarball
PACKAGES=(
  "@utrecht/component-library-css@9.0.4 utrecht-component-library-css-9.0.4.tgz fff546ee8e41e5fb0cd9ce0aa61b267e8af21d693fb6790601d87514f6b63bd1"
  "@nl-design-system-unstable/voorbeeld-design-tokens@7.4.1 nl-design-system-unstable-voorbeeld-design-tokens-7.4.1.tgz 0969907596b56e621fcdb3d7a1f101f6e14c877a1318cd60b1f0428e927e6dd3"
  "axe-core@4.14.1 axe-core-4.14.1.tgz e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
  "@fontsource/noto-sans@5.3.0 fontsource-noto-sans-5.3.0.tgz f62f8ed40e378f15134e32bed2fd5718d81e9ec7a5603d1022d7b385e2297abc"
)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TARBALLS=${NPM_TARBALLS:-$WORK}

for entry in "${PACKAGES[@]}"; do
  read -r spec tarball sha <<<"$entry"
  if [ ! -f "$TARBALLS/$tarball" ]; then
    echo "npm pack $spec"
    (cd "$TARBALLS" && npm pack --silent "$spec" >/dev/null)
  fi
  echo "$sha  $TARBALLS/$tarball" | sha256sum --check --quiet \
    || { echo "Checksum mismatch for $tarball: refusing to vendor it." >&2; exit 1; }
  mkdir -p "$WORK/x/$tarball"
  tar -xzf "$TARBALLS/$tarball" -C "$WORK/x/$tarball"
done

pkg() { echo "$WORK/x/$1/package"; }

UTRECHT=$(pkg utrecht-component-library-css-9.0.4.tgz)
VOORBEELD=$(pkg nl-design-system-unstable-voorbeeld-design-tokens-7.4.1.tgz)
AXE=$(pkg axe-core-4.14.1.tgz)
NOTO=$(pkg fontsource-noto-sans-5.3.0.tgz)

dest="$ROOT/static/vendor/utrecht-component-library-css@9.0.4"
rm -rf "$dest" && mkdir -p "$dest"
cp "$UTRECHT/dist/index.css" "$UTRECHT/LICENSE.md" "$dest/"

dest="$ROOT/static/vendor/voorbeeld-design-tokens@7.4.1"
rm -rf "$dest" && mkdir -p "$dest"
cp "$VOORBEELD/dist/theme.css" "$VOORBEELD/LICENSE.md" "$dest/"

# Noto Sans (the voorbeeld theme's font) for the PDF reports (static/css/pdf.css): the
# latin subset, regular and bold; WeasyPrint embeds only the glyphs a PDF uses.
dest="$ROOT/static/vendor/noto-sans@5.3.0"
rm -rf "$dest" && mkdir -p "$dest"
cp "$NOTO/files/noto-sans-latin-400-normal.woff2" "$NOTO/files/noto-sans-latin-700-normal.woff2" \
  "$NOTO/LICENSE" "$dest/"

# axe-core is a test tool: it lives with the tests and is never served.
dest="$ROOT/tests/vendor"
mkdir -p "$dest"
cp "$AXE/axe.min.js" "$dest/axe.min.js"
cp "$AXE/LICENSE" "$dest/LICENSE"
cp "$AXE/LICENSE-3RD-PARTY.txt" "$dest/LICENSE-3RD-PARTY.txt"

echo "Vendored into static/vendor/ and tests/vendor/. Now check static/vendor/VERSIONS.md."
