import type {
  AgeBand,
  FirstSeen,
  Gender,
  PlaceType,
  ReportCategory,
  ReporterMode,
  ReporterRelationship,
  VictimIndicator,
} from '@tahaffuz/referral-contract';

/** A yes/no answer that may not have been given yet. */
export type YesNo = 'yes' | 'no' | '';

/**
 * What the reporter has typed and chosen so far, as the form's inputs hold it (text stays text
 * until the report is built). Field names follow the wire names of the report.
 */
export interface ReportDraft {
  categories: ReportCategory[];
  happening_now: YesNo;
  narrative: string;
  /** A province code, `country` for "not sure", or '' when not answered. */
  province: string;
  /** A district code, or '' for "not sure". */
  district: string;
  place_type: PlaceType | '';
  landmark: string;
  first_seen: FirstSeen | '';
  ongoing: YesNo | 'not_sure';
  victim_count: string;
  age_band: AgeBand | '';
  genders: Gender[];
  indicators: VictimIndicator[];
  suspects: string;
  mode: ReporterMode;
  name: string;
  phone: string;
  email: string;
  safe_to_contact: YesNo;
  safe_times: string;
  relationship: ReporterRelationship | '';
}

/** A field of the draft. */
export type DraftField = keyof ReportDraft;

/** A draft with nothing answered; the reporter is anonymous until they choose otherwise. */
export function emptyDraft(): ReportDraft {
  return {
    categories: [],
    happening_now: '',
    narrative: '',
    province: '',
    district: '',
    place_type: '',
    landmark: '',
    first_seen: '',
    ongoing: '',
    victim_count: '',
    age_band: '',
    genders: [],
    indicators: [],
    suspects: '',
    mode: 'anonymous',
    name: '',
    phone: '',
    email: '',
    safe_to_contact: '',
    safe_times: '',
    relationship: '',
  };
}
