#!/usr/bin/env bash
# Regenerates everything the sources generate, as a developer would before committing:
# inventory/ (npm run render: pulls every chart package from its repository, checked against
# the digest the repository publishes), dist/ (npm run synth), the environment schema and
# renovate.json's rules (npm run schema) and the graph in README.md (npm run readme).
# Prints the generated files that changed, one a line.
#
#   scripts/ci/regenerate.sh [render options...]     e.g. --nearest, --charts <folder>
#
# CI runs it on Renovate's pull requests (the hosted Renovate app runs no post-upgrade
# tasks); scripts/ci/commit-regenerated.sh then commits the result.
set -euo pipefail
cd "$(dirname "$0")/../.."

npm run -s render -- "$@"
npm run -s synth
npm run -s schema
npm run -s readme
git status --porcelain --untracked-files=all -- $(cat scripts/ci/generated-paths) | cut -c4-
