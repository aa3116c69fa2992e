#!/usr/bin/env node
// Makes sure the system services the tests need are present: Redis (scale-out tests) and Chromium
// (browser tests). Installs them with apt when missing and we are root; otherwise fails loudly:
// tests that need them must never be skipped silently.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const redisUrl = new URL(process.env.TETHER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const chromium = process.env.TETHER_CHROMIUM ?? '/usr/bin/chromium';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let aptUpdated = false;

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
}
function has(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}
function aptInstall(pkg) {
  if (!isRoot || !has('apt-get')) {
    console.error(
      `✖ ${pkg} is missing and cannot be installed here (need root and apt-get). Install it and run again.`,
    );
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  console.log(`› apt-get install ${pkg}`);
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], {
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0) {
    console.error(`✖ apt-get install ${pkg} failed`);
    process.exit(1);
  }
}

function redisAnswers() {
  return new Promise((resolve) => {
    const socket = connect({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

async function ensureRedis() {
  if (await redisAnswers()) return;
  if (!has('redis-server')) aptInstall('redis-server');
  console.log(`› starting redis-server on ${redisUrl.host}`);
  sh('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    redisUrl.hostname,
    '--port',
    redisUrl.port || '6379',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  for (let i = 0; i < 50; i += 1) {
    if (await redisAnswers()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.error(`✖ Redis does not answer at ${redisUrl.href}`);
  process.exit(1);
}

function ensureChromium() {
  if (existsSync(chromium)) return;
  aptInstall('chromium');
  if (!existsSync(chromium)) {
    console.error(`✖ Chromium not found at ${chromium} after install`);
    process.exit(1);
  }
}

await ensureRedis();
ensureChromium();
console.log(`system: redis at ${redisUrl.host}, chromium at ${chromium}`);
