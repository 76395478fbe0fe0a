#!/usr/bin/env bash
# Bytes of resident memory per user and per merchant, measured as slopes: the peak resident
# memory of scenarios/benchmarks/ten_million_users.toml cut to one simulated day (no warm-up), at
# its own population (10,000,000 users, 50,000 merchants), with every market's initial users
# halved, and with every market's merchants doubled. The differences divided by the users and
# merchants removed or added are what one more of each costs, everything a world keeps for it
# included (its record, profile, links, accounts in the ledger, pending events, ads). Prints a
# Markdown table; docs/performance.md quotes it.
#
# Usage: bench/memory_per_agent.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/p2psim}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
scenario=scenarios/benchmarks/ten_million_users.toml
markets=(ng br in tr ar ke)
users=(2500000 2000000 2000000 1500000 1200000 800000)
merchants=(12500 10000 10000 7500 6000 4000)

peak_kilobytes() {  # the settings to apply, each a --set argument
  /usr/bin/time -f "%M" -o "$scratch/time" "$binary" run "$scenario" --threads 1 --quiet \
    --out "$scratch/out" --set simulation.days=1 --set simulation.warmup_days=0 "$@"
  cat "$scratch/time"
}

halved_users=()
doubled_merchants=()
for i in "${!markets[@]}"; do
  halved_users+=(--set "markets.${markets[$i]}.users.initial_users=$((users[i] / 2))")
  doubled_merchants+=(--set "markets.${markets[$i]}.merchants.count=$((merchants[i] * 2))")
done
full=$(peak_kilobytes)
half=$(peak_kilobytes "${halved_users[@]}")
double=$(peak_kilobytes "${doubled_merchants[@]}")
/usr/bin/python3 - "$full" "$half" "$double" <<'PYTHON'
import sys
full, half, double = (int(value) * 1024 for value in sys.argv[1:])
print("| world (one day) | peak resident memory |")
print("|---|---|")
print(f"| 10,000,000 users, 50,000 merchants | {full / 2**20:,.0f} MiB |")
print(f"| 5,000,000 users, 50,000 merchants | {half / 2**20:,.0f} MiB |")
print(f"| 10,000,000 users, 100,000 merchants | {double / 2**20:,.0f} MiB |")
print(f"\nper user: {(full - half) / 5_000_000:,.0f} bytes; "
      f"per merchant: {(double - full) / 50_000:,.0f} bytes")
PYTHON
