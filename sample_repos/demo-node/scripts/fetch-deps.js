'use strict';
// Checks the project's dependencies. There are none to download, so a normal
// run only reports that. The dns and disk scenarios do real I/O that really
// fails: a lookup of a host under .invalid (never resolves; no traffic leaves
// the machine) and a write to /dev/full (every write fails with ENOSPC).
const dns = require('node:dns');
const fs = require('node:fs');

const REGISTRY = 'registry.sentinel.invalid';
const scenario = process.env.SENTINEL_SCENARIO || 'success';
console.log(`deps: scenario=${scenario} run=${process.env.SENTINEL_RUN_ID || '-'} ` +
            `attempt=${process.env.SENTINEL_RUN_ATTEMPT || '-'}`);

if (scenario === 'dns') {
  const url = `https://${REGISTRY}/left-pad/-/left-pad-1.3.0.tgz`;
  console.log(`deps: GET ${url}`);
  dns.lookup(REGISTRY, (err) => {
    if (err) {
      console.error(`npm ERR! code ${err.code}`);
      console.error(`npm ERR! errno ${err.code}`);
      console.error(`npm ERR! request to ${url} failed, reason: getaddrinfo ${err.code} ${REGISTRY}`);
      process.exit(1);
    }
    console.error(`deps: ${REGISTRY} resolved, which a .invalid name never should`);
    process.exit(2);
  });
} else if (scenario === 'disk') {
  console.log('deps: extracting left-pad-1.3.0.tgz into node_modules');
  try {
    fs.writeFileSync('/dev/full', Buffer.alloc(65536));
    console.error('deps: writing to /dev/full succeeded, which it never should');
    process.exit(2);
  } catch (err) {
    console.error(`npm ERR! code ${err.code}`);
    console.error(`npm ERR! ${err.message}`);
    process.exit(1);
  }
} else {
  console.log('deps: no dependencies to fetch');
}
