import { memoryStore } from '@lifeline/server';
import { sessionCases } from './session.js';

/** The embedded default store. */
export const memoryCases = sessionCases('memory', () => memoryStore());
