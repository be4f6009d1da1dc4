import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect, inject, it } from 'vitest';

/** Resolves 'connected' or the error code of a TCP connection attempt (loopback addresses only). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(5_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Local addresses (hex, as the kernel prints them) of the listening TCP sockets on `port`. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // Field 1 is local address:port, field 3 the state (0A = LISTEN).
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
      .map((fields) => (fields[1] ?? '').split(':')[0] ?? ''),
  );
}

/** 127.0.0.1 as /proc/net/tcp prints it, and as an IPv4-mapped IPv6 address in /proc/net/tcp6. */
const LOOPBACK = ['0100007F', '0000000000000000FFFF00000100007F'];

describe('DynamoDB Local (npm start)', () => {
  const endpoint = new URL(inject('dynamoEndpoint'));
  const port = Number(endpoint.port);

  it('is addressed on the loopback interface', () => {
    expect(endpoint.hostname).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
  });

  it('listens on 127.0.0.1 only, never on every interface', () => {
    const addresses = listeningAddresses(port);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(LOOPBACK, address).toContain(address);
  });

  it('refuses a connection to another address of this machine (127.0.0.2 reaches a wildcard listener, not a loopback one)', async () => {
    // Every 127/8 address is this machine's own: a socket bound to all interfaces accepts on
    // 127.0.0.2, one bound to 127.0.0.1 does not. No traffic leaves the machine.
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    expect(await tryConnect('127.0.0.2', port)).toBe('ECONNREFUSED');
  });
});
