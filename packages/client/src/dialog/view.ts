/** The dialog's elements, built once per mount: dialog, title, body, clock, live region, secondary, primary, link. */
export type DialogView = [
  HTMLDialogElement,
  HTMLElement,
  HTMLElement,
  HTMLElement,
  HTMLElement,
  HTMLButtonElement,
  HTMLButtonElement,
  HTMLAnchorElement,
];

/**
 * Builds the dialog: a native `<dialog>` announced as an alert dialog, labelled by its
 * title and described by its body plus the spoken time. The visible clock is a `timer`
 * (never announced on its own); a separate polite live region speaks the time in steps.
 * Elements are made one by one rather than through `innerHTML`, so Trusted Types
 * policies have nothing to object to.
 */
export function buildView(doc: Document): DialogView {
  const id = `lifeline-${Math.random().toString(36).slice(2, 8)}`;
  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    cls: string,
    parent?: Element,
    attrs: Record<string, string> = {},
  ) => {
    const node = doc.createElement(tag);
    node.className = `lifeline-${cls}`;
    for (const name in attrs) node.setAttribute(name, attrs[name] as string);
    parent?.append(node);
    return node;
  };
  const dialog = el('dialog', 'dialog', undefined, {
    role: 'alertdialog',
    'aria-labelledby': `${id}t`,
    'aria-describedby': `${id}b ${id}l`,
  });
  const actions = el('div', 'actions');
  const view: DialogView = [
    dialog,
    el('h2', 'title', dialog, { id: `${id}t` }),
    el('p', 'body', dialog, { id: `${id}b` }),
    el('p', 'clock', dialog, { role: 'timer' }),
    el('p', 'sr', dialog, { id: `${id}l`, 'aria-live': 'polite', 'aria-atomic': 'true' }),
    el('button', 'button lifeline-secondary', actions, { type: 'button' }),
    el('button', 'button lifeline-primary', actions, { type: 'button' }),
    el('a', 'button lifeline-primary', actions),
  ];
  dialog.append(actions);
  return view;
}
