#!/usr/bin/env bash
# Fetches the page's third-party libraries with the npm client, at pinned versions, and copies
# the published dist files the page loads into static/vendor/NAME/, unmodified, with their
# LICENSE and a VERSION file. Run it again after changing a version; never edit the copies.
set -euo pipefail

UPLOT_VERSION="1.6.32"
KATEX_VERSION="0.19.1"
AXE_VERSION="4.14.1" # test-only: the browser tests inject it; no page loads it

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# unpack NAME VERSION: the package's published tarball, unpacked into $work/NAME/
unpack() {
  local name="$1" version="$2"
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  mkdir -p "$work/$name"
  tar -xzf "$work/$name-$version.tgz" -C "$work/$name" --strip-components=1
}

# note NAME VERSION: the VERSION file beside the copies, listing them
note() {
  local name="$1" version="$2"
  local dir="$vendor/$name"
  {
    echo "$name $version"
    echo "from the npm package $name@$version by scripts/vendor-frontend.sh; files copied unmodified:"
    (cd "$dir" && find . -type f ! -name VERSION | sort)
  } >"$dir/VERSION"
}

unpack uplot "$UPLOT_VERSION"
rm -rf "$vendor/uplot"
mkdir -p "$vendor/uplot"
cp "$work/uplot/dist/uPlot.esm.js" "$work/uplot/dist/uPlot.min.css" "$work/uplot/LICENSE" "$vendor/uplot/"
note uplot "$UPLOT_VERSION"

unpack katex "$KATEX_VERSION"
rm -rf "$vendor/katex"
mkdir -p "$vendor/katex/fonts"
cp "$work/katex/dist/katex.mjs" "$work/katex/dist/katex.min.css" "$work/katex/LICENSE" "$vendor/katex/"
# Every font file katex.min.css refers to (woff2, woff and ttf), so no url() in it is missing.
grep -o 'fonts/[A-Za-z0-9_-]*\.[a-z0-9]*' "$work/katex/dist/katex.min.css" | sort -u |
  while read -r font; do cp "$work/katex/dist/$font" "$vendor/katex/fonts/"; done
note katex "$KATEX_VERSION"

unpack axe-core "$AXE_VERSION"
rm -rf "$vendor/axe-core"
mkdir -p "$vendor/axe-core"
cp "$work/axe-core/axe.min.js" "$work/axe-core/LICENSE" "$vendor/axe-core/"
note axe-core "$AXE_VERSION"

echo "vendored uPlot $UPLOT_VERSION, KaTeX $KATEX_VERSION and axe-core $AXE_VERSION into $vendor"
