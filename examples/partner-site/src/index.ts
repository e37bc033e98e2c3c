/**
 * The partner-site example: a static page that embeds `<tz-report-form>` with one script tag under
 * a strict Content-Security-Policy, talking to the referral API on another origin.
 * @module
 */
export {
  partnerCsp,
  reportFormScriptPath,
  startPartnerSite,
  type PartnerSite,
  type PartnerSiteOptions,
} from './partner-site.js';
