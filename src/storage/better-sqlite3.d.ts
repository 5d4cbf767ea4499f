/**
 * The part of better-sqlite3's API this project uses. @types/better-sqlite3
 * is not a dependency; this declaration stands in for it.
 */
declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult {
      changes: number
      lastInsertRowid: number | bigint
    }

    interface Statement<P extends unknown[] = unknown[], R = unknown> {
      run (...params: P): RunResult
      get (...params: P): R | undefined
      all (...params: P): R[]
      iterate (...params: P): IterableIterator<R>
      pluck (toggle?: boolean): this
    }

    interface Transaction<F extends (...args: never[]) => unknown> {
      (...args: Parameters<F>): ReturnType<F>
      immediate (...args: Parameters<F>): ReturnType<F>
    }

    interface Options {
      readonly?: boolean
      fileMustExist?: boolean
      timeout?: number
    }

    interface Database {
      readonly open: boolean
      readonly inTransaction: boolean
      readonly name: string
      prepare<P extends unknown[] = unknown[], R = unknown> (source: string): Statement<P, R>
      transaction<F extends (...args: never[]) => unknown> (fn: F): Transaction<F>
      exec (source: string): this
      pragma (source: string, options?: { simple?: boolean }): unknown
      close (): this
    }
  }

  interface DatabaseConstructor {
    new (filename: string, options?: Database.Options): Database.Database
  }

  const Database: DatabaseConstructor
  export = Database
}
