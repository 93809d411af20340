// The class colours of the page, in one place: points, the boundary, the output neurons, the
// legend, the class picker and the confusion matrix all take theirs from here.
//
// Two classes keep the page's orange and blue (TensorFlow Playground's, close to Okabe–Ito's
// orange and blue). Three to eight classes use the Okabe–Ito palette (Masataka Okabe and Kei
// Ito, "Color Universal Design", 2008), published to stay distinguishable for people with the
// common colour-vision deficiencies; its order here puts the most different hues first.

/** Class 0 of two, and negative values. */
export const ORANGE = [245, 147, 34];
/** Class 1 of two, and positive values. */
export const BLUE = [8, 119, 189];

/** Okabe–Ito: orange, blue, bluish green, reddish purple, yellow, sky blue, vermillion, black. */
const OKABE_ITO = [
  [230, 159, 0], [0, 114, 178], [0, 158, 115], [204, 121, 167],
  [240, 228, 66], [86, 180, 233], [213, 94, 0], [0, 0, 0],
];

/** RGB of the K classes: the two-class orange and blue, or the first K of Okabe–Ito. */
export function classColors(K) {
  return K > 2 ? OKABE_ITO.slice(0, K) : [ORANGE, BLUE];
}

/** CSS colour of an [r, g, b] triple. */
export const css = ([r, g, b]) => `rgb(${r},${g},${b})`;

/** CSS colour of class k of K. */
export const classCss = (k, K) => css(classColors(K)[k] ?? [128, 128, 128]);

/** Class k's name: the uploaded file's legend entry, or "class k". */
export const className = (k, legend) => legend?.[k] ?? `class ${k}`;
