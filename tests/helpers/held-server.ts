// A server on 127.0.0.1 that holds every answer back a while, so that requests a client sends together meet on it:
// what a concurrency limit is tested with (the number of requests it had open at once, never a time).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface HeldServer {
  url: string;
  /** The most requests it held at once so far. */
  most(): number;
  close(): Promise<void>;
}

export async function heldServer(answer: (res: http.ServerResponse) => void, holdMs = 100): Promise<HeldServer> {
  let open = 0;
  let most = 0;
  const server = http.createServer((_req, res) => {
    most = Math.max(most, ++open);
    setTimeout(() => {
      open--;
      answer(res);
    }, holdMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    most: () => most,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
