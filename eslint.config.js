import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, env: ['node'], ignores: ['dist/**', 'node_modules/**', '.tap/**', 'coverage/**', 'src/generate/kernel/**'] }),
  // the pages' script runs in the browser
  { files: ['src/server/assets/**/*.js'], languageOptions: { globals: { window: 'readonly', document: 'readonly', history: 'readonly', XMLHttpRequest: 'readonly', FormData: 'readonly', DOMParser: 'readonly' } } }
]
