#!/bin/sh
# Installs the autotask-mcp binary for this machine (macOS or Linux):
#
#   curl -fsSL https://github.com/autotask-mcp/autotask-mcp/releases/latest/download/install.sh | sh
#
# It picks the release binary for this OS and CPU (musl on Alpine and other musl systems, arm64 under
# Rosetta), downloads it with SHA256SUMS, refuses it unless the checksum matches and it runs, then
# moves it into place in one step (an older autotask-mcp there is replaced only by a working one).
#
# Options (each also an environment variable):
#   --dir DIR        INSTALL_DIR             where to install (default: ~/.local/bin)
#   --version X.Y.Z  AUTOTASK_MCP_VERSION    a given release (default: the latest)
#   --base-url URL   AUTOTASK_MCP_BASE_URL   the releases root, laid out as GitHub's:
#                                            URL/latest/download/FILE, URL/download/vX.Y.Z/FILE
set -eu

REPO_RELEASES="https://github.com/autotask-mcp/autotask-mcp/releases"
SUPPORTED="linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl, darwin-x64, darwin-arm64"

install_dir="${INSTALL_DIR:-}"
version="${AUTOTASK_MCP_VERSION:-}"
base_url="${AUTOTASK_MCP_BASE_URL:-$REPO_RELEASES}"
tmp=""

say() { printf '%s\n' "$*"; }
fail() {
  printf 'autotask-mcp install: %s\n' "$*" >&2
  exit 1
}

usage() {
  say "Usage: install.sh [--dir DIR] [--version X.Y.Z] [--base-url URL]"
  say "Installs autotask-mcp to DIR (default ~/.local/bin). Supported: $SUPPORTED."
  say "Windows: download autotask-mcp-windows-x64.exe from $REPO_RELEASES, or use npx -y autotask-mcp."
}

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || fail "--dir needs a directory"; install_dir="$2"; shift 2 ;;
    --dir=*) install_dir="${1#--dir=}"; shift ;;
    --version) [ $# -ge 2 ] || fail "--version needs a version, e.g. 3.0.0"; version="$2"; shift 2 ;;
    --version=*) version="${1#--version=}"; shift ;;
    --base-url) [ $# -ge 2 ] || fail "--base-url needs a URL"; base_url="$2"; shift 2 ;;
    --base-url=*) base_url="${1#--base-url=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fail "unknown option \"$1\" (see --help)" ;;
  esac
done

if [ -z "$install_dir" ]; then
  [ -n "${HOME:-}" ] || fail "HOME is not set: pass --dir DIR or set INSTALL_DIR"
  install_dir="$HOME/.local/bin"
fi
version="${version#v}"

# --- which binary --------------------------------------------------------------------------------

os=$(uname -s 2>/dev/null || echo unknown)
arch=$(uname -m 2>/dev/null || echo unknown)
case "$os" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW* | MSYS* | CYGWIN* | Windows_NT)
    fail "this script is for macOS and Linux. On Windows download autotask-mcp-windows-x64.exe from $REPO_RELEASES, or use npx -y autotask-mcp" ;;
  *) fail "no autotask-mcp binary for this operating system ($os $arch). Supported: $SUPPORTED. Elsewhere use npx -y autotask-mcp (Node 20+)" ;;
esac
case "$arch" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "no autotask-mcp binary for this CPU ($os $arch). Supported: $SUPPORTED. Elsewhere use npx -y autotask-mcp (Node 20+)" ;;
esac

# A shell under Rosetta reports x86_64 on Apple silicon; the arm64 binary is the native one.
if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
  arch=arm64
fi

# musl systems (Alpine …) cannot run the glibc build.
libc=""
if [ "$os" = linux ]; then
  if ls /lib/ld-musl-* >/dev/null 2>&1 || { ldd --version 2>&1 || true; } | grep -qi musl; then
    libc="-musl"
  fi
fi

target="$os-$arch$libc"
file="autotask-mcp-$target"
if [ -n "$version" ]; then
  release_url="${base_url%/}/download/v$version"
else
  release_url="${base_url%/}/latest/download"
fi

# --- download and check --------------------------------------------------------------------------

if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --retry 2 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  fetch() { wget -q -O "$2" "$1"; }
else
  fail "needs curl or wget to download"
fi

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  fail "needs sha256sum or shasum to check the download"
fi

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t autotask-mcp)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

say "autotask-mcp: downloading $file from $release_url"
fetch "$release_url/SHA256SUMS" "$tmp/SHA256SUMS" || fail "could not download $release_url/SHA256SUMS"
fetch "$release_url/$file" "$tmp/$file" || fail "could not download $release_url/$file"

expected=$(awk -v name="$file" '$2 == name || $2 == "*" name { print $1; exit }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || fail "SHA256SUMS has no entry for $file: nothing installed"
actual=$(sha256 "$tmp/$file")
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $file (expected $expected, got $actual): the download is damaged or was tampered with; nothing installed"
fi
say "autotask-mcp: checksum ok ($actual)"

chmod 755 "$tmp/$file"
new_version=$("$tmp/$file" --version 2>/dev/null) || fail "the downloaded $file does not run on this machine ($os $arch): nothing installed"

# --- install -------------------------------------------------------------------------------------

mkdir -p "$install_dir" 2>/dev/null || fail "cannot create $install_dir: choose another directory with --dir or INSTALL_DIR"
[ -w "$install_dir" ] || fail "cannot write to $install_dir (permission denied): choose another directory with --dir or INSTALL_DIR, e.g. INSTALL_DIR=\$HOME/bin"
dest="$install_dir/autotask-mcp"
old_version=""
if [ -x "$dest" ]; then
  old_version=$("$dest" --version 2>/dev/null || echo "unknown version")
fi

# Copy next to the destination, then rename: the switch is atomic, and a running server keeps its file.
staged="$install_dir/.autotask-mcp.$$"
cp "$tmp/$file" "$staged" 2>/dev/null || { rm -f "$staged"; fail "cannot write to $install_dir: choose another directory with --dir or INSTALL_DIR"; }
chmod 755 "$staged"
mv -f "$staged" "$dest" || { rm -f "$staged"; fail "cannot replace $dest"; }

if [ -n "$old_version" ]; then
  say "autotask-mcp: replaced $old_version with $new_version at $dest"
else
  say "autotask-mcp: installed $new_version to $dest"
fi

# --- next steps ----------------------------------------------------------------------------------

case ":${PATH:-}:" in
  *":$install_dir:"*) ;;
  *)
    say ""
    say "$install_dir is not on your PATH. Add it, e.g.:"
    case "${SHELL:-}" in
      */zsh) say "  echo 'export PATH=\"$install_dir:\$PATH\"' >> ~/.zshrc" ;;
      */fish) say "  fish_add_path $install_dir" ;;
      */bash) say "  echo 'export PATH=\"$install_dir:\$PATH\"' >> ~/.bashrc" ;;
      *) say "  echo 'export PATH=\"$install_dir:\$PATH\"' >> ~/.profile" ;;
    esac
    ;;
esac

cat <<EOF

Check your Autotask API user (or try it without one: $dest test-connection --sandbox):
  AUTOTASK_USERNAME=api.user@example.com AUTOTASK_SECRET=... AUTOTASK_INTEGRATION_CODE=... $dest test-connection

Claude Desktop (Settings > Developer > Edit Config, claude_desktop_config.json):
  {
    "mcpServers": {
      "autotask": {
        "command": "$dest",
        "env": {
          "AUTOTASK_USERNAME": "api.user@example.com",
          "AUTOTASK_SECRET": "your-api-secret",
          "AUTOTASK_INTEGRATION_CODE": "your-integration-code"
        }
      }
    }
  }

Claude Code:
  claude mcp add autotask --env AUTOTASK_USERNAME=api.user@example.com \\
    --env AUTOTASK_SECRET=your-api-secret --env AUTOTASK_INTEGRATION_CODE=your-integration-code -- $dest
EOF
