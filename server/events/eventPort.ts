import { errorFields, type Logger } from '../log.ts';
import type { AccessEvent } from './accessEvents.ts';

export type AccessEventHandler = (event: AccessEvent) => Promise<void> | void;

/**
 * The domain-event port: services publish, consumers subscribe. In one process it is a plain fan-out; the
 * outbox (outboxEvents.ts) carries events between processes sharing one store.
 */
export interface AccessEventPort {
  /** Resolves once the event is recorded for other processes and every local handler has run. */
  publish(event: AccessEvent): Promise<void>;
  /** Returns a function that unsubscribes. */
  subscribe(handler: AccessEventHandler): () => void;
}

/**
 * In-process delivery. A failing handler is logged and does not stop the others: one consumer's fault
 * (LiveKit unreachable, say) must not keep the sync sockets open.
 */
export class LocalEventFanout {
  readonly #handlers = new Set<AccessEventHandler>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  subscribe(handler: AccessEventHandler): () => void {
    this.#handlers.add(handler);
    return () => void this.#handlers.delete(handler);
  }

  async deliver(event: AccessEvent): Promise<void> {
    await Promise.all(
      [...this.#handlers].map(async (handler) => {
        try {
          await handler(event);
        } catch (error) {
          this.#logger.error('access_event_handler_failed', { kind: event.kind, ...errorFields(error) });
        }
      }),
    );
  }
}
