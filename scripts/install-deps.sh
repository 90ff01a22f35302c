#!/bin/sh
# Installs the Debian packages byline's build and test suite need, only those
# that are missing; `apt-get update` runs only when something must be installed.
set -eu

packages="
  build-essential cmake ninja-build pkg-config
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libyaml-dev libtomlplusplus-dev libutf8proc-dev nlohmann-json3-dev
  libpugixml-dev libgumbo-dev libcli11-dev libfmt-dev libxxhash-dev libcpp-httplib-dev
  libstb-dev libmimalloc-dev libstemmer-dev zlib1g-dev libvips-dev libvips-tools fonts-dejavu-core
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jinja2 python3-feedparser python3-stemmer libxml2-utils time strace
  wrk
"
# AVIF ([images] formats = ["avif", ...]): Debian 12's libheif encodes AV1
# itself (with libaom); from Debian 13 on, its AV1 encoder is a plugin
# package. Testing and unstable have no VERSION_ID: they get it too.
os_id=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
debian_version=$(. /etc/os-release 2>/dev/null && echo "${VERSION_ID:-}")
if [ "$os_id" = debian ] &&
   { [ -z "$debian_version" ] || [ "${debian_version%%.*}" -ge 13 ] 2>/dev/null; }; then
  packages="$packages libheif-plugin-aomenc"
fi
# `install-deps.sh fuzz` (make fuzz): clang and its libFuzzer runtime too.
if [ "${1:-}" = fuzz ]; then
  packages="$packages clang libclang-rt-14-dev"
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
# Commands the HTML checks need; a machine may have them from elsewhere.
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
# The browser check drives Debian's chromium by its path (playwright-core
# downloads no browser).
[ -x /usr/bin/chromium ] || missing="$missing chromium"

if [ -n "$missing" ]; then
  echo "install-deps: installing$missing"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# npm packages for the HTML checks (the Nu HTML Checker), pinned by
# tests/html/package-lock.json.
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/tests/html/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  echo "install-deps: npm ci in tests/html"
  (cd "$here/tests/html" && npm ci --silent --no-audit --no-fund)
fi

# npm packages for the browser checks (playwright-core; lighthouse, for
# the search page's accessibility and the example site's performance, a
# devDependency, hence --include=dev whatever NODE_ENV says), pinned by
# tests/browser/package-lock.json; again when the lock file changed.
browser="$here/tests/browser"
if [ ! -f "$browser/node_modules/playwright-core/package.json" ] ||
   [ ! -f "$browser/node_modules/lighthouse/package.json" ] ||
   [ "$browser/package-lock.json" -nt "$browser/node_modules/.package-lock.json" ]; then
  echo "install-deps: npm ci in tests/browser"
  (cd "$browser" && npm ci --include=dev --silent --no-audit --no-fund)
fi
