/** Work in progress. */
export const PACKAGE = '@tahaffuz/referral-contract';
