'use strict'
// The real node-postgres as dbtls' oracle: for each connection string given as an argument, connect with
// new pg.Client({ connectionString }), run SELECT 1, and print one JSON line: {"ok":true,"ssl":bool} or
// {"ok":false,"code":...,"message":...}. Strings are tried one after another in this one process.
const pg = require('pg')
const tls = require('tls')

// pg can throw from a socket callback instead of rejecting connect() (ssl=false does); that error belongs to
// the string being probed, so it is reported for that row instead of ending the process.
let crashed = () => {}
process.on('uncaughtException', (err) => crashed(err))

async function probe(connectionString) {
  let client
  try {
    client = new pg.Client({ connectionString, connectionTimeoutMillis: 15000 })
    const crash = new Promise((resolve, reject) => {
      crashed = (err) => reject(Object.assign(err, { code: 'UNCAUGHT ' + ((err && err.name) || 'Error') }))
    })
    await Promise.race([client.connect(), crash])
    await client.query('SELECT 1')
    const ssl = client.connection.stream instanceof tls.TLSSocket
    return { ok: true, ssl }
  } catch (err) {
    return { ok: false, code: String((err && err.code) || 'ERROR'), message: String((err && err.message) || err) }
  } finally {
    if (client) {
      await client.end().catch(() => {})
    }
  }
}

async function main() {
  for (const connectionString of process.argv.slice(2)) {
    process.stdout.write(JSON.stringify(await probe(connectionString)) + '\n')
  }
}

main().then(() => process.exit(0))
