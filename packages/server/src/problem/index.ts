export { type ProblemOptions, problemBody, problemResponse } from './problem.js';
