/**
 * HTTP as a hostile or broken client sends it: raw bytes over a socket, bypassing fetch (which
 * refuses to send CONNECT, unknown methods or malformed Host headers).
 */
import { connect } from "node:net";

/** Sends `text` to 127.0.0.1:`port` and returns everything written back before the server closed (or `timeoutMs` passed). */
export function rawRequest(port: number, text: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    let received = "";
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on("error", () => {});
  });
}

/** The status code of a raw HTTP/1.1 answer (0 when there was none). */
export const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
