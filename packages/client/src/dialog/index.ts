export type { DialogClient, WarningDialogOptions } from './dialog.js';
export { mountWarningDialog } from './dialog.js';
export type { DialogStrings } from './strings.js';
export { defaultStrings } from './strings.js';
export type { StyleOptions } from './styles.js';
export { DIALOG_CSS } from './styles.js';
