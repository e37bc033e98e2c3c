/**
 * The Pakistan admin-area preset: the 7 first-level units and their districts.
 *
 * SOURCES AND DATE
 * - Punjab, Sindh, Khyber Pakhtunkhwa, Balochistan and Islamabad Capital Territory: the district
 *   list of the Pakistan Bureau of Statistics (PBS), "7th Population and Housing Census 2023" (the
 *   Digital Census), final results approved by the Council of Common Interests on 5 August 2023 and
 *   notified on 7 August 2023 — the districts the census enumerated and reports results for.
 * - Gilgit-Baltistan (not in the PBS census results): Government of Gilgit-Baltistan notification of
 *   17 June 2019, which raised Darel, Tangir, Gupis-Yasin and Roundu to districts (14 in all; press
 *   reports of 2024–25 describe those four as still being given their district administrations).
 * - Azad Jammu and Kashmir (not in the PBS census results): the 10 districts of the Government of
 *   AJK (Muzaffarabad, Poonch and Mirpur divisions), unchanged since Haveli and Jhelum Valley
 *   (Hattian Bala) became districts in 2009.
 *
 * DISTRICT COUNTS the sources give (checked by `pakistan.test.ts`):
 * Punjab 41, Sindh 30, Khyber Pakhtunkhwa 36 (including the merged former tribal districts, with
 * South Waziristan as Upper and Lower South Waziristan), Balochistan 36, Islamabad Capital
 * Territory 1, Gilgit-Baltistan 14, Azad Jammu and Kashmir 10 — 168 districts.
 *
 * The list was compiled from reproductions of these sources, not from the PBS tables themselves;
 * check the counts and spellings against pbs.gov.pk before each release. Districts the census
 * results do not list separately (for example Central Dir, notified in January 2023 from part of
 * Upper Dir, whose census figure covers it) and districts created since are not in it: a deployment
 * that needs them supplies its own list through `defineAdminAreas()`.
 *
 * CODES
 * Province/territory codes are ISO 3166-2:PK. District codes (`PK-PB-LHR`) are Tahaffuz codes, not
 * an official standard: 3–4 letters, unique within the province, readable. Reports are routed and
 * hotspot statistics counted by these codes, so a code is never changed or reused: a renamed
 * district keeps its code; a split keeps the old code for the part that keeps the old name and gives
 * the new part a new code; a removed code is never given to another district.
 *
 * NAMES
 * English names in the spelling of the district's own administration and of the sources where it
 * was seen (title-cased, e.g. "Dera Ismail Khan", not "D.I. Khan"); check them against the PBS
 * tables with the counts. Urdu names are in Urdu script and NEED REVIEW BY A NATIVE SPEAKER before
 * they are relied on.
 */
import type { AdminArea, AdminAreaSet } from './admin-areas.js';

/** The number of districts of each province/territory, as the preset's sources give them. */
export const PAKISTAN_DISTRICT_COUNTS = {
  'PK-PB': 41,
  'PK-SD': 30,
  'PK-KP': 36,
  'PK-BA': 36,
  'PK-IS': 1,
  'PK-GB': 14,
  'PK-JK': 10,
} as const satisfies Record<string, number>;

/** `[district suffix, English name, Urdu name]`. */
type DistrictRow = readonly [suffix: string, en: string, ur: string];
type ProvinceRow = readonly [code: string, en: string, ur: string, districts: readonly DistrictRow[]];

const PROVINCES: readonly ProvinceRow[] = [
  [
    'PK-PB',
    'Punjab',
    'پنجاب',
    [
      ['ATK', 'Attock', 'اٹک'],
      ['BWN', 'Bahawalnagar', 'بہاولنگر'],
      ['BWP', 'Bahawalpur', 'بہاولپور'],
      ['BHK', 'Bhakkar', 'بھکر'],
      ['CKW', 'Chakwal', 'چکوال'],
      ['CNT', 'Chiniot', 'چنیوٹ'],
      ['DGK', 'Dera Ghazi Khan', 'ڈیرہ غازی خان'],
      ['FSD', 'Faisalabad', 'فیصل آباد'],
      ['GRW', 'Gujranwala', 'گوجرانوالہ'],
      ['GJT', 'Gujrat', 'گجرات'],
      ['HFZ', 'Hafizabad', 'حافظ آباد'],
      ['JHG', 'Jhang', 'جھنگ'],
      ['JLM', 'Jhelum', 'جہلم'],
      ['KSR', 'Kasur', 'قصور'],
      ['KHW', 'Khanewal', 'خانیوال'],
      ['KSB', 'Khushab', 'خوشاب'],
      ['KTA', 'Kot Addu', 'کوٹ ادو'],
      ['LHR', 'Lahore', 'لاہور'],
      ['LYH', 'Layyah', 'لیہ'],
      ['LDN', 'Lodhran', 'لودھراں'],
      ['MBD', 'Mandi Bahauddin', 'منڈی بہاؤالدین'],
      ['MWI', 'Mianwali', 'میانوالی'],
      ['MLN', 'Multan', 'ملتان'],
      ['MRE', 'Murree', 'مری'],
      ['MZG', 'Muzaffargarh', 'مظفر گڑھ'],
      ['NNS', 'Nankana Sahib', 'ننکانہ صاحب'],
      ['NRW', 'Narowal', 'نارووال'],
      ['OKR', 'Okara', 'اوکاڑہ'],
      ['PKP', 'Pakpattan', 'پاکپتن'],
      ['RYK', 'Rahim Yar Khan', 'رحیم یار خان'],
      ['RJP', 'Rajanpur', 'راجن پور'],
      ['RWP', 'Rawalpindi', 'راولپنڈی'],
      ['SWL', 'Sahiwal', 'ساہیوال'],
      ['SGD', 'Sargodha', 'سرگودھا'],
      ['SKP', 'Sheikhupura', 'شیخوپورہ'],
      ['SKT', 'Sialkot', 'سیالکوٹ'],
      ['TLG', 'Talagang', 'تلہ گنگ'],
      ['TNS', 'Taunsa', 'تونسہ'],
      ['TTS', 'Toba Tek Singh', 'ٹوبہ ٹیک سنگھ'],
      ['VHR', 'Vehari', 'وہاڑی'],
      ['WZD', 'Wazirabad', 'وزیر آباد'],
    ],
  ],
  [
    'PK-SD',
    'Sindh',
    'سندھ',
    [
      ['BDN', 'Badin', 'بدین'],
      ['DDU', 'Dadu', 'دادو'],
      ['GTK', 'Ghotki', 'گھوٹکی'],
      ['HYD', 'Hyderabad', 'حیدرآباد'],
      ['JCB', 'Jacobabad', 'جیکب آباد'],
      ['JMS', 'Jamshoro', 'جامشورو'],
      ['KHC', 'Karachi Central', 'کراچی وسطی'],
      ['KHE', 'Karachi East', 'کراچی شرقی'],
      ['KHS', 'Karachi South', 'کراچی جنوبی'],
      ['KHW', 'Karachi West', 'کراچی غربی'],
      ['KMR', 'Kashmore', 'کشمور'],
      ['KMI', 'Keamari', 'کیماڑی'],
      ['KHP', 'Khairpur', 'خیرپور'],
      ['KRG', 'Korangi', 'کورنگی'],
      ['LRK', 'Larkana', 'لاڑکانہ'],
      ['MLR', 'Malir', 'ملیر'],
      ['MTR', 'Matiari', 'مٹیاری'],
      ['MPK', 'Mirpur Khas', 'میرپور خاص'],
      ['NSF', 'Naushahro Feroze', 'نوشہرو فیروز'],
      ['QSK', 'Qambar Shahdadkot', 'قمبر شہدادکوٹ'],
      ['SGR', 'Sanghar', 'سانگھڑ'],
      ['SBA', 'Shaheed Benazirabad', 'شہید بینظیر آباد'],
      ['SKR', 'Shikarpur', 'شکارپور'],
      ['SJW', 'Sujawal', 'سجاول'],
      ['SUK', 'Sukkur', 'سکھر'],
      ['TAY', 'Tando Allahyar', 'ٹنڈو الہ یار'],
      ['TMK', 'Tando Muhammad Khan', 'ٹنڈو محمد خان'],
      ['THP', 'Tharparkar', 'تھرپارکر'],
      ['TTA', 'Thatta', 'ٹھٹہ'],
      ['UMK', 'Umerkot', 'عمرکوٹ'],
    ],
  ],
  [
    'PK-KP',
    'Khyber Pakhtunkhwa',
    'خیبر پختونخوا',
    [
      ['ABT', 'Abbottabad', 'ایبٹ آباد'],
      ['BJR', 'Bajaur', 'باجوڑ'],
      ['BNU', 'Bannu', 'بنوں'],
      ['BTG', 'Battagram', 'بٹگرام'],
      ['BNR', 'Buner', 'بونیر'],
      ['CSD', 'Charsadda', 'چارسدہ'],
      ['DIK', 'Dera Ismail Khan', 'ڈیرہ اسماعیل خان'],
      ['HNG', 'Hangu', 'ہنگو'],
      ['HRP', 'Haripur', 'ہری پور'],
      ['KRK', 'Karak', 'کرک'],
      ['KHY', 'Khyber', 'خیبر'],
      ['KHT', 'Kohat', 'کوہاٹ'],
      ['KPS', 'Kolai Palas', 'کولائی پالس'],
      ['KRM', 'Kurram', 'کرم'],
      ['LKM', 'Lakki Marwat', 'لکی مروت'],
      ['LCH', 'Lower Chitral', 'چترال زیریں'],
      ['LDR', 'Lower Dir', 'دیر زیریں'],
      ['LKH', 'Lower Kohistan', 'کوہستان زیریں'],
      ['LSW', 'Lower South Waziristan', 'جنوبی وزیرستان زیریں'],
      ['MKD', 'Malakand', 'مالاکنڈ'],
      ['MSH', 'Mansehra', 'مانسہرہ'],
      ['MDN', 'Mardan', 'مردان'],
      ['MMD', 'Mohmand', 'مہمند'],
      ['NWZ', 'North Waziristan', 'شمالی وزیرستان'],
      ['NSR', 'Nowshera', 'نوشہرہ'],
      ['ORK', 'Orakzai', 'اورکزئی'],
      ['PSH', 'Peshawar', 'پشاور'],
      ['SHG', 'Shangla', 'شانگلہ'],
      ['SWB', 'Swabi', 'صوابی'],
      ['SWT', 'Swat', 'سوات'],
      ['TNK', 'Tank', 'ٹانک'],
      ['TGR', 'Torghar', 'تورغر'],
      ['UCH', 'Upper Chitral', 'چترال بالا'],
      ['UDR', 'Upper Dir', 'دیر بالا'],
      ['UKH', 'Upper Kohistan', 'کوہستان بالا'],
      ['USW', 'Upper South Waziristan', 'جنوبی وزیرستان بالا'],
    ],
  ],
  [
    'PK-BA',
    'Balochistan',
    'بلوچستان',
    [
      ['AWR', 'Awaran', 'آواران'],
      ['BKN', 'Barkhan', 'بارکھان'],
      ['CGI', 'Chagai', 'چاغی'],
      ['CMN', 'Chaman', 'چمن'],
      ['DBG', 'Dera Bugti', 'ڈیرہ بگٹی'],
      ['DKI', 'Duki', 'دکی'],
      ['GWD', 'Gwadar', 'گوادر'],
      ['HRN', 'Harnai', 'ہرنائی'],
      ['HUB', 'Hub', 'حب'],
      ['JFB', 'Jafarabad', 'جعفر آباد'],
      ['JHM', 'Jhal Magsi', 'جھل مگسی'],
      ['KCH', 'Kachhi', 'کچھی'],
      ['KLT', 'Kalat', 'قلات'],
      ['KCE', 'Kech', 'کیچ'],
      ['KRN', 'Kharan', 'خاران'],
      ['KZD', 'Khuzdar', 'خضدار'],
      ['KAB', 'Killa Abdullah', 'قلعہ عبداللہ'],
      ['KSF', 'Killa Saifullah', 'قلعہ سیف اللہ'],
      ['KLU', 'Kohlu', 'کوہلو'],
      ['LSB', 'Lasbela', 'لسبیلہ'],
      ['LRL', 'Loralai', 'لورالائی'],
      ['MST', 'Mastung', 'مستونگ'],
      ['MSK', 'Musakhel', 'موسیٰ خیل'],
      ['NSB', 'Nasirabad', 'نصیر آباد'],
      ['NSK', 'Nushki', 'نوشکی'],
      ['PJG', 'Panjgur', 'پنجگور'],
      ['PSN', 'Pishin', 'پشین'],
      ['QTA', 'Quetta', 'کوئٹہ'],
      ['SRN', 'Sherani', 'شیرانی'],
      ['SBI', 'Sibi', 'سبی'],
      ['SBP', 'Sohbatpur', 'صحبت پور'],
      ['SRB', 'Surab', 'سوراب'],
      ['UMD', 'Usta Muhammad', 'اوستہ محمد'],
      ['WSK', 'Washuk', 'واشک'],
      ['ZHB', 'Zhob', 'ژوب'],
      ['ZRT', 'Ziarat', 'زیارت'],
    ],
  ],
  ['PK-IS', 'Islamabad Capital Territory', 'وفاقی دارالحکومت اسلام آباد', [['ISB', 'Islamabad', 'اسلام آباد']]],
  [
    'PK-GB',
    'Gilgit-Baltistan',
    'گلگت بلتستان',
    [
      ['AST', 'Astore', 'استور'],
      ['DRL', 'Darel', 'داریل'],
      ['DMR', 'Diamer', 'دیامر'],
      ['GHC', 'Ghanche', 'گانچھے'],
      ['GZR', 'Ghizer', 'غذر'],
      ['GLT', 'Gilgit', 'گلگت'],
      ['GPY', 'Gupis-Yasin', 'گوپس یاسین'],
      ['HNZ', 'Hunza', 'ہنزہ'],
      ['KMG', 'Kharmang', 'کھرمنگ'],
      ['NGR', 'Nagar', 'نگر'],
      ['RDU', 'Roundu', 'روندو'],
      ['SGR', 'Shigar', 'شگر'],
      ['SKD', 'Skardu', 'سکردو'],
      ['TGR', 'Tangir', 'تانگیر'],
    ],
  ],
  [
    'PK-JK',
    'Azad Jammu and Kashmir',
    'آزاد جموں و کشمیر',
    [
      ['BGH', 'Bagh', 'باغ'],
      ['BHM', 'Bhimber', 'بھمبر'],
      ['HVL', 'Haveli', 'حویلی'],
      ['JLV', 'Jhelum Valley', 'جہلم ویلی'],
      ['KTL', 'Kotli', 'کوٹلی'],
      ['MPR', 'Mirpur', 'میرپور'],
      ['MZD', 'Muzaffarabad', 'مظفر آباد'],
      ['NLM', 'Neelum', 'نیلم'],
      ['PNC', 'Poonch', 'پونچھ'],
      ['SDN', 'Sudhnoti', 'سدھنوتی'],
    ],
  ],
];

function expand(provinces: readonly ProvinceRow[]): AdminArea[] {
  const areas: AdminArea[] = [];
  for (const [code, en, ur, districts] of provinces) {
    areas.push({ code, level: 'province', name: { en, ur } });
    for (const [suffix, dEn, dUr] of districts) {
      areas.push({ code: `${code}-${suffix}`, level: 'district', parent: code, name: { en: dEn, ur: dUr } });
    }
  }
  return areas;
}

/**
 * Pakistan's provinces and territories (ISO 3166-2:PK codes) and their districts (Tahaffuz codes,
 * `PK-PB-LHR`), in English and Urdu, from the sources and date named in `source` and `as_of`.
 * Urdu names need review by a native speaker.
 *
 * @example
 * ```ts
 * import { pakistanAdminAreas, districtsOf, adminAreaName } from '@tahaffuz/referral-contract';
 * districtsOf(pakistanAdminAreas, 'PK-SD').map((d) => adminAreaName(d, 'ur'));
 * ```
 */
export const pakistanAdminAreas: AdminAreaSet = /* @__PURE__ */ (() => ({
  country: 'PK',
  source:
    'Pakistan Bureau of Statistics, 7th Population and Housing Census 2023, district list (results notified 7 August 2023) for Punjab, Sindh, Khyber Pakhtunkhwa, Balochistan and Islamabad Capital Territory; Government of Gilgit-Baltistan notification of 17 June 2019 (14 districts); Government of Azad Jammu and Kashmir (10 districts). District codes are Tahaffuz codes; Urdu names need review by a native speaker.',
  as_of: '2023-08-07',
  areas: /* @__PURE__ */ expand(PROVINCES),
}))();
