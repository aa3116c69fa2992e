/** The message of anything thrown or rejected (an Error's message, or the value as a string). */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
