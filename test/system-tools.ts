/**
 * The system programs a few tests use beyond Node and npm (xmllint for a
 * second opinion on the XSD, Chromium for the pages), looked up on PATH as a
 * shell would, never at a fixed place. `npm test` needs none of them: a test
 * that wants one skips, saying which program and which Debian package, when
 * it is not there.
 *
 * To see the suite pass without them, run it with a PATH that lacks them,
 * for example a directory holding only a link to node:
 *
 *   mkdir -p /tmp/node-only && ln -sf "$(command -v node)" /tmp/node-only/node
 *   PATH=/tmp/node-only node_modules/.bin/tap test/validate/xsd.test.ts
 */

// the bench's: one lookup for the programs the tests use and those the bench compares with
export { findProgram } from '../bench/process.js'

/** Says a program is missing: its name, the Debian package that brings it, and that CI has it. */
export function missingProgram (name: string, debianPackage: string): string {
  return `${name} introuvable dans le PATH (apt-get install ${debianPackage} ; .ci/run l'installe)`
}
