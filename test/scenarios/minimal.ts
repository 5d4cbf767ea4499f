/** The smallest valid scenario, for tests that add one key to it. */
export const MINIMAL_SCENARIO = `name: petit
description: un petit scénario
seed: 42
departements:
  - code: '77'
    name: Seine-et-Marne
    population: 10
`
