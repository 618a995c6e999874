// Where nothing answers, for as long as the tests run. roomwatch's default Meet is http://localhost:9080,
// where `npm run demo` (or a real Meet) may be listening: a test server pointed there would read that
// Meet's rooms and stream its frames. A port found free and then closed is no better: any process may
// take it a moment later. So this process keeps one port bound and resets every connection to it.
import net from 'node:net';

let held: Promise<string> | undefined;

/** http://127.0.0.1:<port>: connections are accepted and reset at once, so nothing is ever read there. */
export function unreachableUrl(): Promise<string> {
  held ??= new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.resetAndDestroy());
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`));
    // Held for the life of the test process, without keeping it alive.
    server.unref();
  });
  return held;
}
