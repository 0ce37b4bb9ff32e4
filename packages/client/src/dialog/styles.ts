/**
 * The dialog's default look. Themed through custom properties (`--lifeline-*`) and
 * overridable through the `lifeline-*` classes. Kept short: it counts toward the budget.
 */
export const DIALOG_CSS =
  // border-box and a margin in px: 1rem a side however large the person's text is. The
  // transparent border is the dialog's edge in forced colors, where backgrounds are dropped.
  // `overscroll-behavior`: keys pressed with focus on its title (a person typing as it
  // opens) scroll nothing behind it, which would leave their field out of sight.
  '.lifeline-dialog{box-sizing:border-box;max-width:min(28rem,100% - 32px);padding:1.5rem;border:1px solid #0000;border-radius:var(--lifeline-radius,12px);background:var(--lifeline-bg,#fff);color:var(--lifeline-fg,#1a1d24);font:1rem/1.5 var(--lifeline-font,system-ui);overflow-wrap:break-word;pointer-events:auto;overscroll-behavior:contain}' +
  // Its parts keep its ink: a page's `h2` or `p` colour (a dark theme) would be white on white.
  '.lifeline-dialog *{color:inherit}' +
  '.lifeline-dialog::backdrop{background:var(--lifeline-backdrop,#0f1219a0)}' +
  '.lifeline-title{margin:0;font-size:1.25rem}' +
  '.lifeline-clock{margin:1rem 0;font:600 2rem monospace}' +
  // Long words or large text wrap the buttons; `safe` keeps an overflow scrollable.
  '.lifeline-actions{display:flex;flex-wrap:wrap;gap:.5rem;justify-content:safe end}' +
  '.lifeline-button{padding:.5em 1em;border:1px solid;border-radius:calc(var(--lifeline-radius,12px)/2);background:0 0;color:var(--lifeline-accent,#2553d9);font:600 1rem/1.5 var(--lifeline-font,system-ui);text-decoration:none}' +
  // An element and a class: as specific as a page's `a:hover` or `a:visited`, and after it,
  // so the link keeps its colours; `.lifeline-dialog .lifeline-primary` still overrides.
  ':is(a,button).lifeline-primary{background:var(--lifeline-accent,#2553d9);color:var(--lifeline-bg,#fff)}' +
  // A page's reset (`:focus{outline:0}`) must not hide where the keyboard is.
  '.lifeline-button:focus-visible{outline:2px solid var(--lifeline-accent,#2553d9);outline-offset:2px}' +
  // Visually hidden, still read: 1px tall so a long sentence adds no scrolling.
  '.lifeline-sr{position:absolute;height:1px;overflow:hidden;clip-path:inset(50%)}';

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
