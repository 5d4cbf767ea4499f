/**
 * A département's code as the exchanges write it (decision D4): 01 to 95
 * (20 is no longer one: 2A and 2B), 2A, 2B, 971 to 976. The one rule the
 * accounts, the faults and the PECGM reader check codes against.
 */
export const DEPARTEMENT_CODE = /^(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-6])$/
