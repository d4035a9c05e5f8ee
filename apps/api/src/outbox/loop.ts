import type { Logger } from "../logger.js";

export type LoopOptions = {
  /** Named in its log lines: "The webhook dispatcher failed; it tries again". */
  name: string;
  logger: Logger;
  /** How often it runs when nobody kicked it. */
  pollMs: number;
  /** After a kick, how long it waits for more work to gather before running (0: at once). */
  gatherMs?: number;
};

/**
 * The background loop of the relay, the webhook dispatcher and the mailer: runs `work` (which does
 * everything due, then returns), then sleeps `pollMs` unless kicked meanwhile. After a failure (the
 * database, a mail or NATS server unreachable) it waits longer each time, up to 30 s, rather than fail
 * and log twice a second; a kick still wakes it.
 */
export class Loop {
  private running = false;
  private done: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly options: LoopOptions,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  /** Stops, after the run in hand. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.done;
    this.done = undefined;
  }

  /** There is work: run now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    const { pollMs, gatherMs = 0, logger, name } = this.options;
    let failures = 0;
    while (this.running) {
      if (this.kicked && gatherMs > 0) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      this.kicked = false;
      try {
        await this.work();
        failures = 0;
      } catch (error) {
        failures += 1;
        logger.error(`${name} failed; it tries again`, { error: String(error), failures });
      }
      if (!this.running || (this.kicked && failures === 0)) continue;
      const waitMs = failures === 0 ? pollMs : Math.min(30_000, pollMs * 2 ** failures);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
