/**
 * Whether `input` is a `Request`, by its shape: a server library may replace the global
 * `Request` class (`@hono/node-server` does), so requests made before and after it loaded
 * are of two classes.
 */
export const isRequest = (input: RequestInfo | URL): input is Request =>
  typeof input === 'object' && input !== null && 'url' in input;
