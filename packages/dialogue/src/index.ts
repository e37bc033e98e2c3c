/** Work in progress. */
export const PACKAGE = '@tahaffuz/dialogue';
