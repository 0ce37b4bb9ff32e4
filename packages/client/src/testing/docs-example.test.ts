import { it } from 'vitest';
import { docsExamples } from './docs-example.fixture.js';

for (const [name, run] of Object.entries(docsExamples)) it(`the documented example: ${name}`, run);
