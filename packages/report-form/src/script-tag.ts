// The entry of dist/tahaffuz-report-form.js, the file a page loads with one script tag: it registers
// <tz-report-form> and <tz-quick-exit> and exports nothing.
import './index.js';
