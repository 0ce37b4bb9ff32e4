export {
  noSessionResponse,
  type ProblemOptions,
  problemBody,
  problemResponse,
} from './problem.js';
