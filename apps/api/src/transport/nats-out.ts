// Outbox events out to NATS JetStream (issue 17): a backend already on NATS consumes awards, Wrapped and
// the rest with a durable consumer instead of a webhook. The relay (outbox/relay.ts) calls `publish`
// inside the transaction that marks the rows relayed: a row is published at least once, and JetStream's
// duplicate window drops a republish of the same outbox id (a relay that died between publish and commit).
import type { OutboxMessage } from "@laurel/engine";
import {
  type JetStreamClient,
  type JetStreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import type { Logger } from "../logger.js";
import type { Relayed } from "../outbox/hub.js";

export const NATS_OUT_DEFAULTS = {
  stream: "LAUREL_OUT",
  subjectPrefix: "laurel.out",
  /**
   * A republish of an outbox id within this window is dropped by JetStream. A relay that died is
   * replaced within seconds (its rows' locks go with its connection), so this is ample.
   */
  duplicateWindowMs: 10 * 60_000,
  /** Events are kept this long for consumers (the stream is a log, not a work queue: any number read it). */
  maxAgeMs: 7 * 24 * 3_600_000,
};

export type NatsOutConfig = { url: string; stream?: string; subjectPrefix?: string; logger: Logger };

/** `<prefix>.<organization id>.<type>`, e.g. `laurel.out.<id>.achievement.earned`. */
export function outSubject(prefix: string, event: Pick<OutboxMessage, "organizationId" | "type">): string {
  return `${prefix}.${event.organizationId}.${event.type}`;
}

/** The message body: the outbox event as every consumer gets it (a webhook's body is the same). */
export function outMessage(event: Relayed): OutboxMessage {
  return {
    id: event.id,
    type: event.type,
    organizationId: event.organizationId,
    occurredAt: event.occurredAt,
    data: event.data,
  };
}

/**
 * Creates the stream of outbound events unless it exists; an existing one is left as its operator
 * tuned it, but must take the subjects. Several processes creating it at once is fine: JetStream
 * accepts an identical create.
 */
export async function ensureOutStream(
  jsm: JetStreamManager,
  config: { stream?: string; subjectPrefix?: string } = {},
): Promise<void> {
  const stream = config.stream ?? NATS_OUT_DEFAULTS.stream;
  const subject = `${config.subjectPrefix ?? NATS_OUT_DEFAULTS.subjectPrefix}.>`;
  try {
    const info = await jsm.streams.info(stream);
    if (!info.config.subjects?.includes(subject)) {
      throw new Error(
        `NATS stream ${stream} exists without the subject ${subject}: add it, or choose another stream`,
      );
    }
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add({
      name: stream,
      subjects: [subject],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(NATS_OUT_DEFAULTS.maxAgeMs),
      duplicate_window: nanos(NATS_OUT_DEFAULTS.duplicateWindowMs),
    });
  }
}

/**
 * The relay's NATS publisher: connects on first use (and again after a failed connect), makes the
 * stream if missing, publishes each event with `Nats-Msg-Id` = its outbox id and waits for every
 * acknowledgement. A failure throws: the relay's transaction rolls back and the rows are relayed
 * (and published) again, so nothing is lost and JetStream drops what it already had.
 */
export class NatsOutbound {
  private connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;
  private readonly subjectPrefix: string;

  constructor(private readonly config: NatsOutConfig) {
    this.subjectPrefix = config.subjectPrefix ?? NATS_OUT_DEFAULTS.subjectPrefix;
  }

  async publish(events: readonly Relayed[]): Promise<void> {
    if (events.length === 0) return;
    const { js } = await this.connected();
    // Sent in order on one connection; the acknowledgements are awaited together.
    await Promise.all(
      events.map((event) =>
        js.publish(outSubject(this.subjectPrefix, event), JSON.stringify(outMessage(event)), {
          msgID: event.id,
        }),
      ),
    );
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (!connection) return;
    const { nc } = await connection.catch(() => ({ nc: undefined }));
    await nc?.drain().catch(() => nc.close());
  }

  private connected() {
    if (!this.connection) {
      const attempt = this.open();
      this.connection = attempt;
      // A failed connect is forgotten, so the relay's next batch tries again.
      attempt.catch(() => {
        if (this.connection === attempt) this.connection = undefined;
      });
    }
    return this.connection;
  }

  private async open(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    const nc = await connect({
      servers: this.config.url.split(",").map((s) => s.trim()),
      name: "laurel-outbox",
      maxReconnectAttempts: -1,
    });
    try {
      await ensureOutStream(await jetstreamManager(nc), {
        stream: this.config.stream,
        subjectPrefix: this.subjectPrefix,
      });
    } catch (error) {
      await nc.close();
      throw error;
    }
    this.config.logger.info("Outbox events go to NATS", {
      stream: this.config.stream ?? NATS_OUT_DEFAULTS.stream,
      subjects: `${this.subjectPrefix}.<organization id>.<type>`,
    });
    return { nc, js: jetstream(nc) };
  }
}
