#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already
# present at the right version, so a warm machine passes straight through.
# Versions are the ones ../shared/toolchain.md verified on this kind of machine.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in Cargo.toml
PLAYWRIGHT_VERSION=1.65.2

need_apt=()
command -v clang >/dev/null        || need_apt+=(clang)
command -v llvm-ar >/dev/null      || need_apt+=(llvm)
command -v wasm-ld >/dev/null      || need_apt+=(lld)
[ -x /usr/bin/chromium ]           || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ]       || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  echo "setup: cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 min)"
  # --locked fails for this version (toolchain.md), so it is left off on purpose.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  echo "setup: cargo install trunk $TRUNK_VERSION (about 10 min)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

if [ "${1:-}" = "--e2e" ]; then
  if ! python3 -c "import playwright, pytest, jsonschema" 2>/dev/null; then
    echo "setup: pip install playwright $PLAYWRIGHT_VERSION, pytest, jsonschema"
    python3 -m pip install -q "playwright==$PLAYWRIGHT_VERSION" "pytest>=8,<9" "jsonschema>=4.17,<5"
  fi
  # The SARIF 2.1.0 schema, as shipped in an npm package, for the CLI output test.
  SARIF_SCHEMA=target/tools/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json
  if [ ! -f "$SARIF_SCHEMA" ]; then
    echo "setup: npm install @microsoft/jest-sarif (for its SARIF 2.1.0 schema)"
    mkdir -p target/tools
    npm install --prefix target/tools --ignore-scripts --no-audit --no-fund --silent "@microsoft/jest-sarif@1.0.0-beta.0" >/dev/null
  fi
  # axe-core, injected by the accessibility end-to-end test.
  AXE=target/tools/node_modules/axe-core/axe.min.js
  if [ ! -f "$AXE" ]; then
    echo "setup: npm install axe-core 4.14.1 (accessibility checks)"
    mkdir -p target/tools
    npm install --prefix target/tools --ignore-scripts --no-audit --no-fund --silent "axe-core@4.14.1" >/dev/null
  fi
fi
echo "setup: tools ready"
