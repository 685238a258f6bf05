# Sourced by bench/scan.sh and bench/scan-tds.sh (after bench/lib.sh): what the scan benchmarks share.
# Expects $repo.

# The dbtls to measure: $DBTLS_NATIVE when set (setup and publishing skipped), else the freshly published one.
scan_dbtls_binary() {
  if [ -n "${DBTLS_NATIVE:-}" ]; then
    echo "$DBTLS_NATIVE"
  else
    "$repo/scripts/setup.sh" >/dev/null
    bench_native
  fi
}

# The table: per tool its median and mean wall time, median connections and the ratio to dbtls' median wall.
# Reads the associative arrays walls and conns (space-separated microseconds / counts per tool).
#   scan_table TOOL...     (dbtls among them)
scan_table() {
  local dm m a c label tool
  printf '%-26s %10s %10s %14s %16s\n' tool "median ms" "mean ms" "connections" "tool/dbtls wall"
  dm=$(printf '%s\n' ${walls[dbtls]} | bench_median)
  for tool in "$@"; do
    m=$(printf '%s\n' ${walls[$tool]} | bench_median)
    a=$(printf '%s\n' ${walls[$tool]} | bench_mean)
    c=$(printf '%s\n' ${conns[$tool]} | bench_median)
    case $tool in
      nmap) label="nmap $(nmap --version | awk 'NR==1 {print $3}') ssl-enum-ciphers" ;;
      sslscan) label="sslscan $(sslscan --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1)" ;;
      dbtls) label="dbtls scan (NativeAOT)" ;;
      *) label=$tool ;;
    esac
    awk -v l="$label" -v m="$m" -v a="$a" -v c="$c" -v d="$dm" 'BEGIN { printf "%-26s %10.1f %10.1f %14d %16.2f\n", l, m / 1000, a / 1000, c, m / d }'
  done
}
