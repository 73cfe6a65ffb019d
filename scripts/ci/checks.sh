#!/usr/bin/env bash
# The checks a change must pass, on the tree as it is (after scripts/ci/regenerate.sh on a
# Renovate branch): the tests, dist/ is what synth renders, and every chart renders with Helm
# into exactly the committed inventory/ (Argo CD admission, schemas, CRD order; --check
# writes nothing). The render's output goes to $RENDER_LOG when set (the plan comment quotes it).
#
#   scripts/ci/checks.sh [render options...]
#
# SKIP_UNIT_TESTS=1 leaves out `npm test` (the test suite itself runs this script).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${SKIP_UNIT_TESTS:-}" != 1 ]; then
  npm test
fi
if ! npm run -s synth:check; then
  echo 'checks: dist/ is out of date: run `npm run synth` and commit the result' >&2
  exit 1
fi
render_failed() {
  echo 'checks: `npm run render -- --check` failed: Argo CD would refuse an object, a chart did not render or could not be had, or inventory/ is out of date (run `npm run render` and commit)' >&2
  exit 1
}
if [ -n "${RENDER_LOG:-}" ]; then
  code=0
  npm run -s render -- --check "$@" > "$RENDER_LOG" 2>&1 || code=$?
  cat "$RENDER_LOG"
  [ "$code" = 0 ] || render_failed
else
  npm run -s render -- --check "$@" || render_failed
fi
