import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'

/**
 * Route schemas compiled on a route's first request instead of at start-up.
 *
 * Fastify compiles every route's validators (ajv) and response serializers
 * (fast-json-stringify) while it gets ready: for this server's hundred-odd
 * schemas, a quarter of a second of start-up that a route nobody calls never
 * repays. These factories hand Fastify functions that compile their schema,
 * with Fastify's own compilers and the same options, the first time they run,
 * and are the compiled function from then on: same answers, same errors.
 */

type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown, schemaEnv?: unknown }
type BuildValidator = (externalSchemas: unknown, options: unknown) => (route: unknown) => Compiled
type BuildSerializer = (externalSchemas: unknown, options: unknown) => (route: unknown) => (data: unknown) => string

const load = createRequire(import.meta.url)

/** Fastify's defaults, loaded once the first route compiles (ajv and fast-json-stringify are not needed before). */
function defaultValidatorBuilder (): BuildValidator {
  return (load('@fastify/ajv-compiler') as () => BuildValidator)()
}
function defaultSerializerBuilder (): BuildSerializer {
  return (load('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => BuildSerializer }).SerializerSelector()
}

/**
 * A validator that compiles on first use. Fastify reads `errors` after a
 * failed call, and `schemaEnv` (ajv's) to pass the parent object that lets
 * ajv coerce a whole querystring or params value: both come from the compiled
 * function.
 */
function lazyValidator (compile: () => Compiled): Compiled {
  let compiled: Compiled | null = null
  const real = (): Compiled => {
    if (compiled === null) {
      compiled = compile()
      // read on every request: a plain value from now on
      Object.defineProperty(validate, 'schemaEnv', { value: compiled.schemaEnv })
    }
    return compiled
  }
  // no rest parameters: nothing allocated per request
  const validate = ((data: unknown, context: unknown) => (compiled ?? real())(data, context)) as Compiled
  Object.defineProperty(validate, 'errors', { get: () => real().errors })
  Object.defineProperty(validate, 'schemaEnv', { get: () => real().schemaEnv, configurable: true })
  return validate
}

interface RouteSchema { schema: unknown, httpPart?: string }

/**
 * An integer of the address (a query parameter, a part of the path) is
 * written in decimal digits, a sign at most. Ajv's coercion takes whatever
 * JavaScript reads as a whole number: « 0x10 », « 1e3 », « 5.0 », « +5 »
 * or « 5 » between spaces would all pass. This check comes first, and
 * refuses them with the error Ajv gives a word (« limit » doit être un
 * nombre entier, lu « 0x10 »), the value as sent.
 */
const DECIMAL = /^-?[0-9]+$/

/** The names of the integer parameters of a querystring's or a path's schema. */
function integerParameters (route: RouteSchema): string[] {
  if (route.httpPart !== 'querystring' && route.httpPart !== 'params') return []
  const properties = (route.schema as { properties?: Record<string, { type?: unknown }> } | null)?.properties ?? {}
  return Object.keys(properties).filter((name) => properties[name]?.type === 'integer')
}

/** `compiled`, after a check that the route's integer parameters are written in decimal digits. */
function strictIntegers (compiled: Compiled, route: RouteSchema): Compiled {
  const names = integerParameters(route)
  if (names.length === 0) return compiled
  const checked = ((data: unknown, context: unknown) => {
    const values = data !== null && typeof data === 'object' ? data as Record<string, unknown> : {}
    for (const name of names) {
      const value = values[name]
      // a parameter given twice is a list: each of its values
      if (value !== undefined && (Array.isArray(value) ? value : [value]).some((v) => typeof v !== 'string' || !DECIMAL.test(v))) {
        checked.errors = [{ keyword: 'type', instancePath: `/${name}`, schemaPath: `#/properties/${name}/type`, params: { type: 'integer' }, message: 'must be integer' }]
        return false
      }
    }
    const valid = compiled(data, context)
    checked.errors = compiled.errors
    return valid
  }) as Compiled
  checked.schemaEnv = compiled.schemaEnv
  return checked
}

/**
 * Header names are case-insensitive and Node gives them in lower case:
 * Fastify lower-cases a headers schema's names itself for its own compiler,
 * not for one it is given, so this one does it.
 */
function lowerCaseHeaders (route: RouteSchema): RouteSchema {
  const schema = route.schema as { properties?: Record<string, unknown>, required?: string[] } | null
  if (route.httpPart !== 'headers' || schema === null || typeof schema !== 'object' || schema.properties === undefined) return route
  return {
    ...route,
    schema: {
      ...schema,
      properties: Object.fromEntries(Object.entries(schema.properties).map(([name, value]) => [name.toLowerCase(), value])),
      ...(schema.required === undefined ? {} : { required: schema.required.map((name) => name.toLowerCase()) })
    }
  }
}

/** Ajv's options for every schema of the server (Fastify's `ajv` server option). */
export const AJV_OPTIONS = { customOptions: { coerceTypes: 'array' as const, removeAdditional: false } }

/**
 * One route's own validator compiler for what its schema checks as usual
 * (the upload's query, while its body is the stream it reads itself): the
 * same lazy Ajv as every other route's.
 */
export function routeValidator (route: unknown): Compiled {
  return lazyValidator(() => strictIntegers((validatorOfRoutes ??= (validators ??= defaultValidatorBuilder())({}, AJV_OPTIONS))(route), route as RouteSchema))
}
let validators: BuildValidator | null = null
let validatorOfRoutes: ReturnType<BuildValidator> | null = null

export function lazySchemaCompilers (): NonNullable<FastifyServerOptions['schemaController']> {
  let serializers: BuildSerializer | null = null
  return {
    compilersFactory: {
      buildValidator: (externalSchemas: unknown, options: unknown) => {
        let compiler: ReturnType<BuildValidator> | null = null
        return (route: unknown) => lazyValidator(() => {
          compiler ??= (validators ??= defaultValidatorBuilder())(externalSchemas, options)
          return strictIntegers(compiler(lowerCaseHeaders(route as RouteSchema)), route as RouteSchema)
        })
      },
      buildSerializer: (externalSchemas: unknown, options: unknown) => {
        let compiler: ReturnType<BuildSerializer> | null = null
        return (route: unknown) => {
          let serialize: ((data: unknown) => string) | null = null
          return (data: unknown) => {
            if (serialize === null) {
              compiler ??= (serializers ??= defaultSerializerBuilder())(externalSchemas, options)
              serialize = compiler(route)
            }
            return serialize(data)
          }
        }
      }
    }
  } as unknown as NonNullable<FastifyServerOptions['schemaController']>
}
