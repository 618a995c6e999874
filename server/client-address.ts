// Who is calling: the socket's peer, or, when that peer is a proxy TRUST_PROXY names, the client it reports
// in X-Forwarded-For. One compiled rule serves express (req.ip: sign-in limits) and the plain node:http
// routes (the webhook refusal log), so both name the same caller.
import proxyAddr from 'proxy-addr';
import type { IncomingMessage } from 'node:http';

export interface ClientAddresses {
  /** proxy-addr's trust rule; express's "trust proxy" setting takes it as it is. */
  readonly trust: (address: string, hop: number) => boolean;
  /** The caller's address; undefined only when the socket is already gone. */
  of(req: IncomingMessage): string | undefined;
}

/** `trustProxy` as config.trustProxy holds it: `loopback`, addresses and CIDR ranges separated by commas, or false. */
export function clientAddresses(trustProxy: string | false): ClientAddresses {
  const trust = proxyAddr.compile(trustProxy === false ? [] : trustProxy.split(',').map((part) => part.trim()));
  return {
    trust,
    of: (req) => (req.socket.remoteAddress === undefined ? undefined : proxyAddr(req, trust)),
  };
}
