// import.meta.url in the CommonJS bundles of the commands (scripts/bundle.mjs): their own file's URL
export const phebusImportMetaUrl = require('node:url').pathToFileURL(__filename).href
