#!/usr/bin/env bash
# Runs a command with the C toolchain settings tree-sitter needs for wasm32:
# clang as the C compiler and the libc headers that the tree-sitter-language crate ships.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fetch -q
TSL=$(cargo metadata --format-version 1 | python3 -c 'import json,sys,os; d=json.load(sys.stdin); print([os.path.dirname(p["manifest_path"]) for p in d["packages"] if p["name"]=="tree-sitter-language"][0])')
export CC_wasm32_unknown_unknown=clang
export AR_wasm32_unknown_unknown=llvm-ar
export CFLAGS_wasm32_unknown_unknown="-I$TSL/wasm/include"
exec "$@"
