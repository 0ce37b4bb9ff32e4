/**
 * The dialog's default look. Themed through custom properties (`--lifeline-*`) and
 * overridable through the `lifeline-*` classes. Kept short: it counts toward the budget.
 */
export const DIALOG_CSS = `.lifeline-dialog{--a:var(--lifeline-accent,#2553d9);--r:var(--lifeline-radius,12px);max-width:28rem;padding:1.5rem;border:0;border-radius:var(--r);background:var(--lifeline-bg,#fff);color:var(--lifeline-fg,#1a1d24);font:1rem/1.5 var(--lifeline-font,system-ui,sans-serif)}
.lifeline-dialog::backdrop{background:var(--lifeline-backdrop,#0f1219a0)}
.lifeline-title{margin:0 0 .5rem;font-size:1.25rem}
.lifeline-clock{margin:1rem 0;font:600 2rem monospace}
.lifeline-actions{display:flex;gap:.5rem;justify-content:end}
.lifeline-button{padding:.6rem 1rem;border:1px solid var(--a);border-radius:calc(var(--r)/2);background:0 0;color:var(--a);font:inherit;font-weight:600;text-decoration:none}
.lifeline-primary{background:var(--a);color:var(--lifeline-bg,#fff)}
.lifeline-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.lifeline-dialog [hidden]{display:none}`;

/** How the stylesheet reaches the page. */
export interface StyleOptions {
  /** `false` leaves all styling to the app's own CSS. Default `true`. */
  injectStyles?: boolean;
  /**
   * A CSP nonce. When given, styles go into a `<style nonce>` element; without it they are
   * a constructable stylesheet (`adoptedStyleSheets`), which a strict CSP does not block.
   */
  nonce?: string;
}

/** Adds the stylesheet to `doc`; returns a function that removes it again. */
export function applyStyles(
  doc: Document,
  { injectStyles = true, nonce }: StyleOptions,
): () => void {
  if (!injectStyles) return () => {};
  const View = doc.defaultView;
  if (nonce === undefined && View && 'adoptedStyleSheets' in doc) {
    const sheet = new View.CSSStyleSheet();
    sheet.replaceSync(DIALOG_CSS);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return () => {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }
  const style = doc.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = DIALOG_CSS;
  doc.head.append(style);
  return () => style.remove();
}
