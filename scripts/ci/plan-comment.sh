#!/usr/bin/env bash
# Writes the pull request's plan comment (Markdown) to $1 and exits non-zero when the change is
# not safe to merge. The comment starts with the marker CI finds it by, names the two commits it
# compares, and holds either the checks' failure (CHECKS_CODE != 0 from scripts/ci/checks.sh, the render's log in RENDER_LOG) or
# `npm run plan` against the base branch's dist/ in BASE_DIST.
#
#   BASE_SHA=<commit> HEAD_SHA=<commit> BASE_DIST=../base/dist CHECKS_CODE=0 RENDER_LOG=<file> \
#   PR_BODY=<the pull request's description> scripts/ci/plan-comment.sh <out.md>
#
# A line "allow-delete: <component>" in PR_BODY allows that component's removal (CI runs this
# again when the description is edited).
set -uo pipefail
cd "$(dirname "$0")/../.."
out=$1
marker='<!-- pke-plan -->'
compared="Compared base \`${BASE_SHA:0:12}\` (what Argo CD syncs now) with head \`${HEAD_SHA:0:12}\`."

if [ "${CHECKS_CODE:-0}" != 0 ]; then
  {
    echo "$marker"; echo '## Argo CD plan'; echo; echo "$compared"; echo
    echo '⛔ **`scripts/ci/checks.sh` failed**: `dist/` is not what synth renders, Argo CD would refuse or could not render what this change deploys, or `inventory/` is not what the charts render (run `npm run render` and `npm run synth`, and commit). Fix it, then the plan follows. The render said:'
    echo; echo '```'; tail -n 60 "${RENDER_LOG:-/dev/null}"; echo '```'
  } > "$out"
  exit 1
fi

args=(--markdown --base "${BASE_DIST:?BASE_DIST: the dist/ folder of the base branch}")
while read -r name; do
  [ -n "$name" ] && args+=(--allow-delete "$name")
done < <(printf '%s\n' "${PR_BODY:-}" | tr -d '\r' | sed -n 's/^allow-delete:[[:space:]]*//p')
err=$(mktemp)
npm run -s plan -- "${args[@]}" > "$out.plan" 2> "$err"
code=$?
if [ ! -s "$out.plan" ]; then
  { echo "$marker"; echo '## Argo CD plan'; echo; echo "$compared"; echo; echo '⛔ **`npm run plan` failed**:'; echo; echo '```'; tail -n 60 "$err"; echo '```'; } > "$out"
  [ "$code" = 0 ] && code=1
else
  # The plan's own Markdown, with the compared commits under its first heading.
  awk -v line="$compared" '{ print } !done && /^## / { print ""; print line; done = 1 }' "$out.plan" > "$out"
  grep -q -F "$compared" "$out" || { head -n 1 "$out.plan"; echo; echo "$compared"; tail -n +2 "$out.plan"; } > "$out"
fi
rm -f "$out.plan" "$err"
exit "$code"
