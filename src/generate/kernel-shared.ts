/**
 * The numbers that the generator in TypeScript (person.ts, timeline.ts,
 * context.ts) and the stock kernel (kernel/stock.ts, AssemblyScript, see
 * stock-kernel.ts) both use, written once: plain constants, which each
 * compiles (an integer is an i32 to AssemblyScript, 365.25 an f64). The
 * rules' ages and days and the NIR's places, which the generator's data
 * (generators/) hold, reach the kernel in its context block instead.
 */

// ---- the timeline (timeline.ts) ----

/** Events are counted from this year: registrations older than it are pinned to its first working day. */
export const FIRST_YEAR = 1950
/** How long an ended registration stays in the stocks before the slot's next one begins. */
export const CARRY_DAYS = 31
/** Events of a slot in one year, at most. */
export const PER_YEAR = 3
/** How far forward the next event of a slot is searched for; beyond, the registration never ends. */
export const HORIZON_YEARS = 60
/** A day that never comes: the end of a registration that does not end. */
export const NEVER = 2_147_483_647

// ---- a person (person.ts) ----

/** 18 years and a day at most after birth: 18 × 365.25 rounded up (never before the 18th birthday). */
export const ADULT_DAYS = 6575
export const DAYS_PER_YEAR = 365.25
/** Sex (2) × birth month (12) × last digit of the birth year (10): the spread of an identity's code. */
export const SPREAD = 240
/** A multiplier prime to NIR_RANKS_PER_BUCKET (3⁵ × 11 × 37): spreads the ranks. */
export const RANK_STEP = 7_727
/** The keys of a person's streams of draws: its identity, its registration, a category move, its end, whether it registers again. */
export const STREAM_ID = 0x1d3e7a11
export const STREAM_REG = 0x4e9c2b35
export const STREAM_MOVE = 0x2f6b8d07
export const STREAM_END = 0x58a1c3e9
export const STREAM_RE = 0x7c15e4d3

/**
 * Where each share of a person's draws is in DepartementContext#odds: read
 * from a Float64Array by Rng#chanceOf, the same draw as chance(share) without
 * the number V8 allocates for each fraction passed to a call it did not inline.
 */
export const ODDS_YOUNG = 0
export const ODDS_LONG_NAMES = 1
/** a married name, for a woman (the scenario's share × 1.8) and a man (× 0.2) */
export const ODDS_MARRIED_WOMAN = 2
export const ODDS_MARRIED_MAN = 3
export const ODDS_CERTIFIED = 4
export const ODDS_CROSS_BORDER = 5
export const ODDS_CAF = 6
export const ODDS_MSA = 7
export const ODDS_DISPENSE = 8
export const ODDS_CER = 9
export const ODDS_RADIATION = 10
/** a registration's identity registers again once it has ended (Rates#reRegistration) */
export const ODDS_RE_REGISTRATION = 11
/** a registration's follow-up is delegated in a half-year: the scenario's share ÷ 0.75 (three months in four delegated), 1 at most */
export const ODDS_DELEGATED = 12
/** The number of shares. */
export const ODDS = 13

// ---- the stock kernel's context block (stock-kernel.ts writes it, kernel/stock.ts reads it) ----
//
// A word holds a number, or the address in the kernel's memory of an image: an index's block (size, slices,
// addresses of its cumulated shares and of its guide), a rule table's (addresses of from, to, categories, sex,
// minAge, maxAge), a pool's (its offset in a record, its width, addresses of its bytes and of its used lengths), the
// calendar's (see calendar() in kernel/stock.ts).

/** Words in a context block. */
export const C_WORDS = 81

export const C_SEED = 0
export const C_KEY = 1
export const C_ENTRIES_KEY = 4
export const C_ENTRIES_NONE = 5
export const C_ENTRIES_TWO = 6
export const C_ENTRIES_THREE = 7
export const C_MOVES_KEY = 8
export const C_MOVES_NONE = 9
export const C_MOVES_TWO = 10
export const C_MOVES_THREE = 11
/** address of the calendar block */
export const C_CALENDAR = 12
/** address of the shares (ODDS f64) */
export const C_ODDS = 13
export const C_FIRST_START = 14
export const C_CATEGORY_BLANK = 15
export const C_ADVISERS = 16
export const C_DELEGATED = 17
export const C_SITUATION_FALLBACK = 18
export const C_CESSATION_FALLBACK = 19
export const C_RADIATION_FALLBACK = 20
export const C_RETIREMENT = 21
export const C_DEATH = 22
/** address of i32 per commune */
export const C_AGENCY_OF_COMMUNE = 23
export const C_EIGHT_DIGITS = 24
export const C_LONG_SIZE = 25
export const C_BIRTH_SIZE = 26
export const C_MARRIED_SIZE = 27
export const C_FIRST1_SIZE = 28
export const C_FIRST2_SIZE = 29
/** NIR_RANKS_PER_BUCKET (generators/nir.ts) */
export const C_NIR_RANKS = 31
/** the weighted indices' blocks (WeightedIndex, rng.ts) */
export const C_W_CATEGORY = 32
export const C_W_TRAINING = 33
export const C_W_SECTOR = 34
export const C_W_ROME = 35
export const C_W_AXIS = 36
export const C_W_MODALITY = 37
export const C_W_COMMUNES = 38
export const C_W_SITUATION = 39
export const C_W_CESSATION = 40
export const C_W_RADIATION = 41
/** the rule tables' blocks (RuleTable, generators/rules.ts) */
export const C_R_SITUATION = 42
export const C_R_CESSATION = 43
export const C_R_RADIATION = 44
/** the ages and the day of generators/rules.ts */
export const C_RETIREMENT_AGE = 45
export const C_OLDEST_AGE = 46
export const C_DISPENSE_MIN_AGE = 47
export const C_DISPENSE_UNTIL = 78
/** the fictitious places of birth of a NIR (generators/nir.ts): the first, and how many */
export const C_NIR_FIRST_PLACE = 79
export const C_NIR_PLACES = 80
/** the pools' blocks (Pool, pools.ts) */
export const C_P_LONG = 48
export const C_P_BIRTH = 49
export const C_P_MARRIED = 50
export const C_P_FIRST1 = 51
export const C_P_FIRST2 = 52
export const C_P_COMMUNES = 53
export const C_P_CATEGORY = 54
export const C_P_SITUATION = 55
export const C_P_CESSATION = 56
export const C_P_RADIATION = 57
export const C_P_PRINCIPAL = 58
export const C_P_DELEGATED = 59
export const C_P_TRAINING = 60
export const C_P_SECTOR = 61
export const C_P_ROME = 62
export const C_P_ADVISER = 63
export const C_P_AXIS = 64
export const C_P_MODALITY = 65
/** where fields go in a record */
export const C_AT_NIR = 66
export const C_AT_BIRTH = 67
export const C_AT_CERTIFIED = 68
export const C_AT_CAF = 69
export const C_AT_MSA = 70
export const C_AT_START = 71
export const C_AT_IDENTIFIER = 72
export const C_AT_CESSATION = 73
export const C_AT_RADIATION = 74
export const C_AT_PPAE = 75
export const C_AT_CER = 76
export const C_AT_CONTACT = 77
