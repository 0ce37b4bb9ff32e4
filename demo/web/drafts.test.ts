// @vitest-environment happy-dom
import { beforeEach, expect, it } from 'vitest';
import { drafts, mergeDraft } from './drafts.js';

beforeEach(() => localStorage.clear());

it('merges a change field by field, so one tab never blanks what another typed', () => {
  const a = mergeDraft(null, { fields: { purpose: 'Customer visit', destination: 'Oslo' } }, 1);
  expect(a).toEqual({
    fields: { purpose: 'Customer visit', destination: 'Oslo' },
    step: 1,
    savedAt: 1,
  });
  const b = mergeDraft(a, { step: 2 }, 2);
  expect(mergeDraft(b, { fields: { meals: '42', destination: '' } }, 3)).toEqual({
    fields: { purpose: 'Customer visit', destination: '', meals: '42' },
    step: 2,
    savedAt: 3,
  });
});

it('saves each change over the stored draft', () => {
  drafts.update({ fields: { purpose: 'Customer visit' } });
  drafts.update({ step: 2 });
  drafts.update({ fields: { meals: '42' } });
  expect(drafts.load()).toMatchObject({
    fields: { purpose: 'Customer visit', meals: '42' },
    step: 2,
  });
  drafts.clear();
  expect(drafts.load()).toBeNull();
});
