import type { SessionRecord, SessionStore } from '../../store/types.js';

/**
 * The record under `sid` as the middleware sees it on the grace path: a store that keeps
 * the sealed successor apart (`getSealedSuccessor`) has it filled into `previous`.
 */
export async function readWhole(store: SessionStore, sid: string): Promise<SessionRecord | null> {
  const record = await store.get(sid);
  const previous = record?.previous;
  if (previous && previous.sealedSuccessor === undefined && store.getSealedSuccessor) {
    const sealed = await store.getSealedSuccessor(sid);
    if (sealed !== null) previous.sealedSuccessor = sealed;
  }
  return record;
}
