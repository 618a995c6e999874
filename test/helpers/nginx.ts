// Debian's nginx as the load balancer in front of several roomwatch processes, configured as the README's
// "Running several instances" tells users to: SSE needs `proxy_buffering off` and a long read timeout.
// Each test gets its own nginx on a free loopback port, with its files in a temporary directory.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './process.js';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface Nginx {
  url: string;
  /** What nginx wrote to its error log (upstream failures show here). */
  errors(): string;
  stop(): Promise<void>;
}

/** Installs nginx when it is missing (tools/ensure-nginx.sh), once per process. */
let ensured = false;
export function ensureNginx(): void {
  if (ensured) return;
  execFileSync('bash', ['tools/ensure-nginx.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
  ensured = true;
}

/** The configuration the README shows, for these upstream base URLs (http://127.0.0.1:port). */
export function nginxConfig({ listen, upstreams, dir }: { listen: number; upstreams: string[]; dir: string }): string {
  const servers = upstreams.map((url) => `    server ${new URL(url).host} max_fails=1 fail_timeout=2s;`).join('\n');
  const temp = (name: string) => path.join(dir, name);
  return `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  client_max_body_size 2m;

  upstream roomwatch {
${servers}
    keepalive 16;
  }

  server {
    listen 127.0.0.1:${listen};

    # The live stream: no buffering, and a read timeout far above the heartbeat interval.
    location = /events {
      proxy_pass http://roomwatch;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
    }

    location / {
      proxy_pass http://roomwatch;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # A webhook is stored once whichever instance takes it (deduplicated in the store), so a POST may
      # be tried on the next instance when the first could not be reached.
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
    }
  }
}
`;
}

export async function startNginx(upstreams: string[]): Promise<Nginx> {
  ensureNginx();
  const dir = mkdtempSync(path.join(tmpdir(), 'roomwatch-nginx-'));
  for (const name of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, name));
  const listen = await freePort();
  const configFile = path.join(dir, 'nginx.conf');
  writeFileSync(configFile, nginxConfig({ listen, upstreams, dir }));
  const child: ChildProcess = spawn(NGINX, ['-c', configFile, '-p', dir, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${listen}`;
  const errors = () => {
    try {
      return stderr + readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return stderr;
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (gone) throw new Error(`nginx did not start: ${errors()}`);
    try {
      await fetch(`${url}/healthz`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url}: ${errors()}`);
      await sleep(50);
    }
  }
  return {
    url,
    errors,
    async stop() {
      if (!gone) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000)]);
        if (!gone) child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
