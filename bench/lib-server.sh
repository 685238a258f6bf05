# Sourced by bench/tds.sh and bench/mongo.sh: starts a test server of the test project out of process
# (tests/DbTls.Tests/EndToEnd/Native/BenchServerHost.cs) with fresh certificates in a temp dir, and stops it on exit.
# Expects $repo; takes the kind (tds|mongo). Sets: dir (holds root.pem), port, user, password.
bench_kind=$1
dotnet build tests/DbTls.Tests --no-restore --verbosity quiet -nologo >/dev/null
dir=$(mktemp -d /tmp/dbtls-bench.XXXXXX)
mkfifo "$dir/stdin"
dotnet "$repo/tests/DbTls.Tests/bin/Debug/net10.0/DbTls.Tests.dll" bench-server "$bench_kind" "$dir" <"$dir/stdin" >"$dir/ready" &
server_pid=$!
exec {server_stdin}>"$dir/stdin" # held open until exit; closing it stops the server
bench_server_stop() {
  local status=$?
  exec {server_stdin}>&-
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$dir"
  exit "$status"
}
trap bench_server_stop EXIT
trap 'exit 130' INT TERM
for _ in $(seq 300); do
  [ -s "$dir/ready" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the $bench_kind test server did not start" >&2; exit 1; }
  sleep 0.1
done
read -r port_kv user_kv password_kv <"$dir/ready"
port=${port_kv#port=} user=${user_kv#user=} password=${password_kv#password=}
