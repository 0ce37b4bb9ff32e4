import type { SessionClient } from '@lifeline/client';
import { byId, clockTime } from './dom.js';
import { type Draft, drafts } from './drafts.js';

const STEPS = ['Trip details', 'Expenses', 'Justification'];

/**
 * The long multi-step claim form. Typing in it is activity, so it keeps the session alive;
 * every keystroke is saved as a draft (and once more on `expired`), so nothing typed is
 * lost when the session ends, and it comes back after signing in again. A sign-out, in
 * this tab or another, discards the draft and empties the form.
 */
export function mountClaimForm(client: SessionClient): { restore(): void } {
  const form = byId<HTMLFormElement>('claim');
  const status = byId('draft-status');
  const steps = byId('steps');
  const next = byId<HTMLButtonElement>('next');
  const prev = byId<HTMLButtonElement>('prev');
  const sets = [...form.querySelectorAll<HTMLFieldSetElement>('fieldset')];
  let step = 1;
  // Only a tab where the person typed writes the draft: every tab's form is saved on
  // `expired`, and an untouched tab must not overwrite the typist's draft with blanks.
  let dirty = false;

  for (const label of STEPS) {
    const li = document.createElement('li');
    li.textContent = label;
    steps.append(li);
  }

  const show = (n: number) => {
    step = Math.min(STEPS.length, Math.max(1, n));
    sets.forEach((set, i) => {
      set.hidden = i + 1 !== step;
    });
    [...steps.children].forEach((li, i) => {
      if (i + 1 === step) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    prev.disabled = step === 1;
    next.textContent = step === STEPS.length ? 'Submit claim' : 'Next';
  };

  const save = () => {
    if (!dirty) return;
    const fields: Record<string, string> = {};
    for (const [name, value] of new FormData(form)) fields[name] = String(value);
    const draft: Draft = { fields, step, savedAt: Date.now() };
    drafts.save(draft);
    status.textContent = `Draft saved ${clockTime(draft.savedAt)}`;
  };

  const restore = () => {
    dirty = false;
    const draft = drafts.load();
    if (!draft) return show(1);
    for (const [name, value] of Object.entries(draft.fields)) {
      const field = form.elements.namedItem(name);
      if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
        field.value = value;
      }
    }
    show(draft.step);
    status.textContent = `Draft restored from ${clockTime(draft.savedAt)}`;
  };

  const discard = () => {
    form.reset();
    dirty = false;
    drafts.clear();
    show(1);
  };

  form.addEventListener('input', () => {
    dirty = true;
    save();
  });
  client.on('expired', save);
  // Signing out is leaving the machine: the next person must not find this person's text,
  // neither in the form nor as a draft. An expiry keeps both (the saved draft's promise).
  client.on('signed-out', (e) => {
    if (e.reason !== 'logged-out') return;
    discard();
    status.textContent = '';
  });
  prev.addEventListener('click', () => {
    dirty = true;
    show(step - 1);
    save();
  });
  next.addEventListener('click', async () => {
    if (step < STEPS.length) {
      dirty = true;
      show(step + 1);
      return save();
    }
    const res = await client.fetch('/api/me').catch(() => null);
    if (!res?.ok) {
      status.textContent = 'Not submitted: your session ended. Your draft is kept.';
      return;
    }
    discard();
    status.textContent = 'Claim submitted. Thank you!';
  });
  restore();
  return { restore };
}
