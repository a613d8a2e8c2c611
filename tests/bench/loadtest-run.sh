# The load test's run, shared by the bench scripts (sourced, not run): `run LABEL TREE [SETTINGS]`
# starts TREE's Release silo on a fresh PostgreSQL database with SETTINGS in its environment, runs
# `billing loadtest` against it, and prints one line: consumes/s, p99, bare requests/s, conservation
# and CPU microseconds per consume of the silo, the generator and PostgreSQL over 8 s of the measured
# phase. The sourcing script sets url, admin, work, out, warmup, duration, PGUSER/PGPASSWORD and silo=.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # user + system CPU ticks of a process
postgres_ticks() { local sum=0 pid; for pid in $(pgrep -u postgres); do sum=$((sum + $(ticks "$pid"))); done; echo "$sum"; }

run() { # $1 label, $2 tree, $3 optional settings for the silo ("Name=value …", e.g. Billing__Telemetry__Enabled=true)
  local db="billing_vs_$1_$RANDOM"
  psql -h 127.0.0.1 -qc "CREATE DATABASE $db" >/dev/null
  env ${3:-} Billing__Storage=postgres Billing__AdminKey=$admin Billing__LoadTest__BareEndpointEnabled=true Logging__LogLevel__Default=Warning \
  Billing__Cluster__AdvertisedAddress=127.0.0.1 Billing__Cluster__SiloPort=11185 Billing__Cluster__GatewayPort=0 \
  ConnectionStrings__Billing="Host=127.0.0.1;Database=$db;Username=$PGUSER;Password=$PGPASSWORD;SSL Mode=Disable" \
    dotnet "$2/src/Billing.Silo/bin/Release/net10.0/Billing.Silo.dll" --urls $url >"$work/$1.log" 2>&1 &
  silo=$!
  for _ in $(seq 1 120); do curl -sf $url/health >/dev/null && break; sleep 0.5; done
  BILLING_ADMIN_KEY=$admin timeout 300 dotnet "$2/src/Billing.Cli/bin/Release/net10.0/billing.dll" --url $url loadtest \
    --shops 1000 --connections 64 --warmup-seconds "$warmup" --duration-seconds "$duration" --json >"$work/$1.json" 2>"$work/$1.err" &
  local generator=$! cpu=
  # The generator writes a progress line a second to stderr; "consume  1 s" opens the measured phase.
  for _ in $(seq 1 1500); do grep -q '^consume  1 s' "$work/$1.err" 2>/dev/null && break; sleep 0.2; done
  local dotnet_pid; dotnet_pid=$(pgrep -P "$generator" -f billing.dll | head -1)
  if [ -n "$dotnet_pid" ] && [ "$duration" -ge 9 ]; then
    local s0 g0 p0 s1 g1 p1
    s0=$(ticks "$silo"); g0=$(ticks "$dotnet_pid"); p0=$(postgres_ticks); sleep 8
    s1=$(ticks "$silo"); g1=$(ticks "$dotnet_pid"); p1=$(postgres_ticks)
    cpu="$((s1 - s0)) $((g1 - g0)) $((p1 - p0)) $(getconf CLK_TCK)"
  fi
  wait "$generator" || true
  kill "$silo"; timeout 60 tail --pid="$silo" -f /dev/null || kill -9 "$silo"; wait "$silo" 2>/dev/null || true; silo=
  psql -h 127.0.0.1 -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
  cp "$work/$1.log" "$out/$1-$db.log"; cp "$work/$1.json" "$out/$1-$db.json"; cp "$work/$1.err" "$out/$1-$db.err"
  python3 - "$1" "$work/$1.json" $cpu <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
c, b = r["consume"], r["bare"]
line = f'{sys.argv[1]:9} consumes/s {c["requests_per_second"]:>9,.0f}  p99 ms {c["latency_ms"]["p99"]:6.2f}  bare/s {b["requests_per_second"]:>9,.0f}  consume/bare {r["consume_to_bare_ratio"]:.2f}  conservation {"ok" if r["conservation"]["ok"] else "BROKEN"}'
if len(sys.argv) == 7:
    silo, generator, postgres, hz = map(int, sys.argv[3:])
    us = lambda t: t * 1e6 / hz / (c["requests_per_second"] * 8)
    line += f'  µs/consume silo {us(silo):.0f} generator {us(generator):.0f} postgres {us(postgres):.0f}  cores busy {(silo + generator + postgres) / hz / 8:.2f}'
print(line)
PY
}
