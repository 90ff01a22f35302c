#!/bin/sh
# Runs each libFuzzer harness for a while: `fuzz/run.sh BUILD SECONDS [NAME...]`
# (what `make fuzz` does). Each harness starts from fuzz/seeds/NAME, its
# regression corpus and files of the kind it reads from the tests and
# /work/shared/testdata (by path, copied into BUILD/fuzz-seeds only for the
# run); new inputs it finds interesting go to BUILD/fuzz-corpus/NAME, and a
# crash, timeout or out-of-memory input to BUILD/fuzz-findings/NAME/. A
# finding stops the run with a non-zero exit: add the input to
# fuzz/regressions/NAME/ with the fix.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=$1
seconds=$2
shift 2
names="$*"
[ -n "$names" ] || names="front_matter_yaml front_matter_toml config template_parse template_render
  wxr wpautop shortcodes html_to_markdown block_markup markdown appearances image_size json_context"
shared=${BYLINE_SHARED_DIR:-$here/../shared}/testdata
python3 "$here/fuzz/regressions/generate.py" "$build/fuzz-regressions"

# Files from the tests that make good starting points for NAME.
seed_files() {
  case $1 in
    front_matter_yaml|markdown) find "$here/tests/sites" "$here/examples" -name '*.md' ;;
    front_matter_toml|config) find "$here/tests/sites" "$here/examples" -name '*.toml' ;;
    appearances) find "$here/tests/sites" "$here/examples" -name 'appearances.*' ;;
    template_parse|template_render) find "$here/themes" "$here/tests/sites" -name '*.html' -o -name '*.xml' ;;
    wxr) find "$shared/wxr" "$shared/wxr-real" -name '*.xml' -size -256k ;;
    image_size) find "$here/tests" "$here/examples" "$here/themes" -name '*.png' -o -name '*.jpg' \
                  -o -name '*.gif' -o -name '*.svg' -o -name '*.webp' ;;
    json_context) find "$here/tests" -name '*.json' -size -64k -not -path '*/node_modules/*' ;;
    *) ;;
  esac 2>/dev/null || true
}

status=0
for name in $names; do
  seeds="$build/fuzz-seeds/$name"
  corpus="$build/fuzz-corpus/$name"
  findings="$build/fuzz-findings/$name"
  rm -rf "$seeds"
  mkdir -p "$seeds" "$corpus" "$findings"
  n=0
  # Names may hold spaces (the fixture sites have some): one per line.
  seed_files "$name" > "$build/fuzz-seeds/$name.list"
  while IFS= read -r f; do
    n=$((n + 1))
    cp "$f" "$seeds/$n-$(basename "$f")"
  done < "$build/fuzz-seeds/$name.list"
  echo "== fuzz_$name for ${seconds}s ($n seed files from the tests)"
  extra=""
  for d in "$here/fuzz/seeds/$name" "$here/fuzz/regressions/$name" "$build/fuzz-regressions/$name"; do
    [ -d "$d" ] && extra="$extra $d"
  done
  # -rss_limit_mb and -timeout: what counts as blowing memory or hanging.
  # -max_len: large enough for a whole post or export item.
  if ! "$build/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" \
      "$corpus" "$seeds" $extra; then
    echo "== fuzz_$name: finding in $findings"
    status=1
  fi
done
exit $status
