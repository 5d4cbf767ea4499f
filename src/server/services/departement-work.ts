/**
 * What the server still does for a département once it has answered the
 * request that asked for it: the qualification's record of an upload and
 * the PECGM it answers an accepted CGPEM with (Pôle emploi answers later,
 * never within the upload). The département's next requests wait for it
 * (plugins/app/files.ts), the admin's for every département's, so that no
 * answer shows it half done; a stop waits for it before the database
 * closes. A département's tasks run one at a time, in the order they were
 * given; one that fails is told to its onError and does not stop the next.
 */
export class DepartementWork {
  /** the last task given, by département, until it has run */
  private readonly tails = new Map<string, Promise<void>>()

  add (departement: string, task: () => Promise<void>, onError: (err: unknown) => void): void {
    const previous = this.tails.get(departement) ?? Promise.resolve()
    const tail: Promise<void> = previous.then(task).catch(onError).finally(() => {
      if (this.tails.get(departement) === tail) this.tails.delete(departement)
    })
    this.tails.set(departement, tail)
  }

  /** Resolves once the tasks of `departement` given so far have run (every département's, for null); null when none is waiting. */
  whenDone (departement: string | null): Promise<void> | null {
    if (this.tails.size === 0) return null
    if (departement !== null) return this.tails.get(departement) ?? null
    return Promise.all(this.tails.values()).then(() => {})
  }
}
