import type { SessionEvent, SessionEventType } from '../types.js';

type Listener = (event: SessionEvent) => void;

/** Typed event listeners; a throwing listener never breaks the client or other listeners. */
export function createEmitter(report: (error: unknown) => void) {
  const byType = new Map<SessionEventType, Set<Listener>>();
  return {
    on(type: SessionEventType, listener: Listener): () => void {
      const set = byType.get(type) ?? new Set();
      byType.set(type, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    emit(event: SessionEvent): void {
      for (const listener of [...(byType.get(event.type) ?? [])]) {
        try {
          listener(event);
        } catch (error) {
          report(error);
        }
      }
    },
    clear(): void {
      byType.clear();
    },
  };
}
