// The teaching panels, in the order they mount into #teaching (CSS places them).

import { mountActivation } from "./activation.js";
import { mountEquations } from "./equations.js";
import { mountGradcheck } from "./gradcheck.js";
import { mountLessons } from "./lessons.js";
import { mountRace } from "./race.js";
import { mountLessonSummary } from "./summary.js";
import { mountTransfer } from "./transfer.js";

/** mount(root, store, api) functions of every teaching panel. */
export const TEACHING_PANELS = [
  mountLessons, mountRace, mountEquations, mountActivation, mountGradcheck, mountTransfer,
  mountLessonSummary, // not a card: the lesson's result beside the playground
];
