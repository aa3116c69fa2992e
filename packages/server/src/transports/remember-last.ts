/**
 * `encode` remembering its last input and answer: asked again for an input `same` as the last one, it
 * answers with the same value without encoding. A fan-out hands the same frames to every recipient in a
 * row, so this is what makes its bytes encoded once per fan-out, not once per recipient.
 */
export function rememberLast<I, O>(encode: (input: I) => O, same: (a: I, b: I) => boolean): (input: I) => O {
  let remembered: { input: I; output: O } | undefined;
  return (input) => {
    if (remembered === undefined || !same(input, remembered.input)) {
      remembered = { input, output: encode(input) };
    }
    return remembered.output;
  };
}
