/**
 * A stdio server spoken to in raw JSON-RPC lines — for tests that look at what happens between
 * messages (what the process loaded, logged or holds), where an SDK client would hide the exchange.
 */
export interface JsonRpcProcess {
  proc: ReturnType<typeof Bun.spawn>;
  /** Writes `message`; for a request (it has an id), resolves with its answer. */
  send(message: Record<string, unknown>): Promise<Record<string, any> | undefined>;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export function spawnJsonRpc(command: string[], options: { cwd: string; env: Record<string, string> }): JsonRpcProcess {
  const proc = Bun.spawn(command, { cwd: options.cwd, env: options.env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  let stderr = "";
  void (async () => {
    for await (const chunk of proc.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  const reader = proc.stdout.getReader();
  let buffered = "";
  const answers: Array<Record<string, any>> = [];
  async function answer(id: unknown): Promise<Record<string, any>> {
    for (;;) {
      const found = answers.find((message) => message.id === id);
      if (found) return found;
      const { value, done } = await reader.read();
      if (done) throw new Error(`the server exited before answering ${JSON.stringify(id)}:\n${stderr}`);
      buffered += new TextDecoder().decode(value);
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        answers.push(JSON.parse(buffered.slice(0, end)));
        buffered = buffered.slice(end + 1);
      }
    }
  }
  return {
    proc,
    async send(message) {
      proc.stdin.write(`${JSON.stringify(message)}\n`);
      await proc.stdin.flush();
      return "id" in message ? answer(message.id) : undefined;
    },
    stderr: () => stderr,
    async stop() {
      proc.kill();
      await proc.exited;
    },
  };
}
