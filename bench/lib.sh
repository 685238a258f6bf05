# Sourced by the bench scripts. Measures two clients doing the same work against the same server in the
# same run, interleaved (A, B, A, B, ...) so that machine load hits both alike, and prints median/mean wall
# time, median peak RSS and the ratios dbtls/peer.
#
#   bench_pair ITERATIONS "peer label" peer_fn "dbtls label" dbtls_fn
# peer_fn and dbtls_fn are shell functions that run one client once, its command prefixed by "${bench_wrap[@]}"
# (empty while timing; GNU time while measuring memory, since /usr/bin/time cannot run a shell function).
bench_wrap=()

# The installed-by-us NativeAOT binary (scripts/publish-native.sh), the one users run.
bench_native() { "$repo/scripts/publish-native.sh" "$repo/.artifacts/native" 2>/dev/null | tail -n 1; }

# Microseconds one run of "$@" takes.
bench_wall() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000))
}

# Peak resident set size in KiB of one run of "$@" (GNU time, "time" package).
bench_rss() {
  local out
  out=$(mktemp)
  bench_wrap=(/usr/bin/time -f %M -o "$out")
  "$@" >/dev/null 2>&1 || true
  bench_wrap=()
  tail -n 1 "$out"
  rm -f "$out"
}

bench_median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
bench_mean() { awk '{ s += $1 } END { printf "%.0f\n", s / NR }'; }

bench_pair() {
  local iterations=$1 peer_label=$2 peer_fn=$3 dbtls_label=$4 dbtls_fn=$5
  local peer_times=() dbtls_times=() peer_rss=() dbtls_rss=()
  for _ in 1 2 3; do "$peer_fn" >/dev/null 2>&1 || true; "$dbtls_fn" >/dev/null 2>&1 || true; done
  for _ in $(seq "$iterations"); do
    peer_times+=("$(bench_wall "$peer_fn")")
    dbtls_times+=("$(bench_wall "$dbtls_fn")")
  done
  for _ in 1 2 3 4 5; do
    peer_rss+=("$(bench_rss "$peer_fn")")
    dbtls_rss+=("$(bench_rss "$dbtls_fn")")
  done
  local pm dm pa da pr dr
  pm=$(printf '%s\n' "${peer_times[@]}" | bench_median)
  dm=$(printf '%s\n' "${dbtls_times[@]}" | bench_median)
  pa=$(printf '%s\n' "${peer_times[@]}" | bench_mean)
  da=$(printf '%s\n' "${dbtls_times[@]}" | bench_mean)
  pr=$(printf '%s\n' "${peer_rss[@]}" | bench_median)
  dr=$(printf '%s\n' "${dbtls_rss[@]}" | bench_median)
  printf '%-34s %12s %12s %14s\n' client "median ms" "mean ms" "peak RSS MiB"
  awk -v l="$peer_label" -v m="$pm" -v a="$pa" -v r="$pr" 'BEGIN { printf "%-34s %12.1f %12.1f %14.1f\n", l, m / 1000, a / 1000, r / 1024 }'
  awk -v l="$dbtls_label" -v m="$dm" -v a="$da" -v r="$dr" 'BEGIN { printf "%-34s %12.1f %12.1f %14.1f\n", l, m / 1000, a / 1000, r / 1024 }'
  awk -v dm="$dm" -v pm="$pm" -v dr="$dr" -v pr="$pr" -v n="$iterations" \
    'BEGIN { printf "ratio dbtls/peer: wall %.2f (median of %d, interleaved), peak RSS %.2f\n", dm / pm, n, dr / pr }'
}
