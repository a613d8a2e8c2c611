#!/usr/bin/env bash
# Installs the billing CLI as the command `billing`: packs src/Billing.Cli as a .NET tool into
# artifacts/cli and installs it globally (~/.dotnet/tools), or updates the one installed.
#
#   deploy/install-cli.sh                       # then: billing version
#   BILLING_CLI_TOOL_PATH=/opt/billing deploy/install-cli.sh   # into a folder instead of ~/.dotnet/tools
#
# Each run packs a version of its own (1.0.0-local.<UTC time>), so NuGet's cache never serves an
# older build under the same number. Needs the .NET 10 SDK; nothing is downloaded but the CLI's packages.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packages="${BILLING_CLI_PACKAGES:-$root/artifacts/cli}"
version="${BILLING_CLI_VERSION:-1.0.0-local.$(date -u +%Y%m%d%H%M%S)}"
limit_s="${BILLING_CLI_TIMEOUT_S:-900}"

if [[ -n "${BILLING_CLI_TOOL_PATH:-}" ]]; then
  where=(--tool-path "$BILLING_CLI_TOOL_PATH")
  listed=$(dotnet tool list --tool-path "$BILLING_CLI_TOOL_PATH" 2>/dev/null || true)
else
  where=(--global)
  listed=$(dotnet tool list --global 2>/dev/null || true)
fi

mkdir -p "$packages"
timeout "$limit_s" dotnet pack "$root/src/Billing.Cli/Billing.Cli.csproj" -c Release -o "$packages" -p:Version="$version" --nologo -v quiet

if awk 'NR > 2 { print tolower($1) }' <<<"$listed" | grep -qx 'billing.cli'; then
  verb=update
else
  verb=install
fi
timeout "$limit_s" dotnet tool "$verb" "${where[@]}" --add-source "$packages" --version "$version" Billing.Cli

if [[ -n "${BILLING_CLI_TOOL_PATH:-}" ]]; then
  echo "billing $version: $BILLING_CLI_TOOL_PATH/billing"
elif command -v billing >/dev/null; then
  echo "billing $version: $(command -v billing)"
else
  echo "billing $version: $HOME/.dotnet/tools/billing (add \$HOME/.dotnet/tools to PATH)"
fi
