import type { SessionClient } from '@lifeline/client';
import { byId, clockTime } from './dom.js';
import { type Draft, type DraftChange, drafts } from './drafts.js';

const STEPS = ['Trip details', 'Expenses', 'Justification'];

/**
 * The long multi-step claim form. Typing in it is activity, so it keeps the session alive;
 * every keystroke saves the field typed in as part of the draft, so nothing typed is lost
 * when the session ends, and it comes back after signing in again. The same form open in
 * several tabs is one claim: what is typed in one tab shows in the others. A sign-out, in
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

  // Only what the person changed in this tab is written: the whole form would write this
  // tab's copy of the other fields over what was typed meanwhile in another tab.
  const save = (change: DraftChange) => {
    const draft = drafts.update(change);
    status.textContent = `Draft saved ${clockTime(draft.savedAt)}`;
  };

  const fill = (draft: Draft) => {
    for (const [name, value] of Object.entries(draft.fields)) {
      const field = form.elements.namedItem(name);
      if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
        field.value = value;
      }
    }
  };

  const restore = () => {
    const draft = drafts.load();
    if (!draft) return show(1);
    fill(draft);
    show(draft.step);
    status.textContent = `Draft restored from ${clockTime(draft.savedAt)}`;
  };

  const discard = () => {
    form.reset();
    drafts.clear();
    show(1);
  };

  form.addEventListener('input', (e) => {
    const field = e.target;
    if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) return;
    if (field.name) save({ fields: { [field.name]: field.value } });
  });
  // Keeps this tab's form in step with the others, so a field edited here starts from what
  // was typed there. The step stays this tab's own: the person moves through each tab.
  drafts.onChangeElsewhere((draft) => {
    if (draft) {
      fill(draft);
      status.textContent = `Draft saved ${clockTime(draft.savedAt)}`;
      return;
    }
    // Discarded in another tab (claim submitted, or signed out): not to be sent twice.
    form.reset();
    show(1);
    status.textContent = '';
  });
  // Signing out is leaving the machine: the next person must not find this person's text,
  // neither in the form nor as a draft. An expiry keeps both (the saved draft's promise).
  client.on('signed-out', (e) => {
    if (e.reason !== 'logged-out') return;
    discard();
    status.textContent = '';
  });
  prev.addEventListener('click', () => {
    show(step - 1);
    save({ step });
  });
  next.addEventListener('click', async () => {
    if (step < STEPS.length) {
      show(step + 1);
      return save({ step });
    }
    const res = await client.fetch('/api/me').catch(() => null);
    if (!res?.ok) {
      status.textContent = 'Not submitted: your session ended. Your draft is kept.';
      return;
    }
    discard();
    status.textContent = 'Claim submitted. Thank you!';
  });
  // Blank first: a tab gone back to puts back what its fields held, maybe the previous
  // person's words whose draft a sign-out discarded. Not on a later restore(): there the
  // fields hold what this person typed, which a full storage may not have saved.
  form.reset();
  restore();
  return { restore };
}
