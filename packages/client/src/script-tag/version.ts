/** The SDK version the script-tag global reports; a test keeps it equal to package.json. */
export const VERSION = '0.1.0';
