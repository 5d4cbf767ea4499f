/** What `probe` gives once it is not null, asked every `everyMs`; an error after `ms` (a test waiting for a process: a file, a port, an exit). */
export async function waitFor<T> (what: string, probe: () => T | null, ms = 60_000, everyMs = 100): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = probe()
    if (v !== null) return v
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
