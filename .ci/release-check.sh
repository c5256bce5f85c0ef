#!/usr/bin/env bash
# Release check without goreleaser: parse .goreleaser.yaml and cross-compile
# okr for its six targets (linux, darwin, windows on amd64 and arm64) with
# the config's flags and ldflags; the host's binary must print the stamped
# version. See cmd/okr/release_test.go.
set -euo pipefail
cd "$(dirname "$0")/.."
OKR_RELEASE_CHECK=1 go test -count=1 -v -run '^(TestReleaseConfig|TestReleaseBuilds)$' ./cmd/okr
