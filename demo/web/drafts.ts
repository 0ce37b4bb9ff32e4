const KEY = 'lifeline-demo:claim-draft';

/** What is kept of the form: its fields and the step the person was on. */
export interface Draft {
  fields: Record<string, string>;
  step: number;
  savedAt: number;
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
  save(draft: Draft): void {
    try {
      localStorage.setItem(KEY, JSON.stringify(draft));
    } catch {
      // Storage full or disabled: the form still holds the text in this tab.
    }
  },
  clear(): void {
    localStorage.removeItem(KEY);
  },
};
