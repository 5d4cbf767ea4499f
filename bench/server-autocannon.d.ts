/** The part of autocannon's programmatic API the server benchmark uses (autocannon ships no types). */
declare module 'autocannon' {
  interface Options {
    url: string
    connections?: number
    pipelining?: number
    duration?: number
    headers?: Record<string, string>
  }
  interface Histogram {
    average: number
    mean: number
    total: number
  }
  interface Result {
    requests: Histogram
    throughput: Histogram
    errors: number
    timeouts: number
    non2xx: number
  }
  function autocannon (options: Options): Promise<Result>
  export = autocannon
}
