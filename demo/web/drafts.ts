const KEY = 'lifeline-demo:claim-draft';

/** What is kept of the form: its fields and the step the person was last on. */
export interface Draft {
  fields: Record<string, string>;
  step: number;
  savedAt: number;
}

/** What one action in one tab changed: a field typed in, or the step moved to. */
export interface DraftChange {
  fields?: Record<string, string>;
  step?: number;
}

/**
 * Lays a change over the stored draft, field by field. The same form may be open in
 * several tabs: a tab writes only what the person changed there, so it never blanks the
 * fields typed in another tab.
 */
export function mergeDraft(draft: Draft | null, change: DraftChange, now: number): Draft {
  return {
    fields: { ...draft?.fields, ...change.fields },
    step: change.step ?? draft?.step ?? 1,
    savedAt: now,
  };
}

/**
 * Drafts live in localStorage so they survive a sign-out, a reload and the sign-in in
 * another tab. A deliberate sign-out, in any tab, clears them (a shared computer should not
 * keep them); an expiry never does.
 */
export const drafts = {
  load(): Draft | null {
    try {
      const raw = localStorage.getItem(KEY);
      return raw ? (JSON.parse(raw) as Draft) : null;
    } catch {
      return null;
    }
  },
  /** Saves `change` over the stored draft and returns the result. */
  update(change: DraftChange): Draft {
    // Read, merge, write: not atomic across tabs, but one person types in one tab at a time.
    const draft = mergeDraft(drafts.load(), change, Date.now());
    try {
      localStorage.setItem(KEY, JSON.stringify(draft));
    } catch {
      // Storage full or disabled: the form still holds the text in this tab.
    }
    return draft;
  },
  clear(): void {
    localStorage.removeItem(KEY);
  },
  /** Calls `listener` when another tab changes the draft (`null`: it was discarded). */
  onChangeElsewhere(listener: (draft: Draft | null) => void): void {
    // `storage` fires only in the other tabs, never in the one that wrote; a null key is
    // `localStorage.clear()`.
    window.addEventListener('storage', (e) => {
      if (e.key === KEY || e.key === null) listener(drafts.load());
    });
  },
};
