import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { ErrorBody } from './schemas.js';

/**
 * The bounds every route's input gets where its schema names none. A value outside them would
 * either reach PostgreSQL and fail there (an integer past its column's type: error 22003, a 500)
 * or cost the server work for nothing.
 */
const INPUT_BOUNDS = {
  /**
   * Characters of a string in the path, the query or a header. Node refuses a request head of
   * more than 16 KiB anyway; every query parameter the platform takes is a name, an id, a code or
   * a search term, far shorter. A parameter that needs more says so in its schema.
   */
  urlString: 1_000,
  /**
   * Characters of a string in a JSON body. The longest texts the platform keeps (summaries, legal
   * bases, descriptions) declare 2,000; a field that declares nothing gets five times that.
   */
  bodyString: 10_000,
  /** Items of an array, anywhere. */
  arrayItems: 1_000,
  /** Properties of an object whose keys the client chooses (records, free-form filters). */
  objectProperties: 1_000,
  /**
   * An integer: PostgreSQL's `integer`, the type of the columns requests compare integers with
   * (versions, lengths), and far within JS safe integers and `bigint`; an offset or page past it
   * means nothing. A wider integer (a bigint cursor) declares its own bounds, at most
   * ±Number.MAX_SAFE_INTEGER.
   */
  integer: { minimum: -2_147_483_648, maximum: 2_147_483_647 },
  /**
   * A number must be finite. JSON's 1e309 parses as Infinity, and ajv's coercion of query strings
   * turns "1e309" into Infinity without checking it again; these bounds refuse both.
   */
  number: { minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE },
} as const;

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (s: Schema, ...keys: string[]) => keys.some((k) => s[k] !== undefined);
/** A shallow copy that keeps TypeBox's hidden (non-enumerable) marks. */
const copy = (s: Schema): Schema =>
  Object.defineProperties({}, Object.getOwnPropertyDescriptors(s));

const SUBSCHEMA = ['items', 'additionalItems', 'additionalProperties', 'contains', 'propertyNames'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];

/**
 * `schema` with the default bounds added wherever it leaves a string's length, an integer's or a
 * number's range, an array's or an open object's size unbounded. Copies what it changes: a schema
 * shared by several routes (and their responses) stays as it was.
 */
function bounded(schema: unknown, stringLength: number): unknown {
  if (!isSchema(schema)) return schema;
  const out = copy(schema);
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if (types.includes('string') && !has(out, 'maxLength')) out.maxLength = stringLength;
  const numeric = types.includes('integer')
    ? INPUT_BOUNDS.integer
    : types.includes('number')
      ? INPUT_BOUNDS.number
      : undefined;
  if (numeric) {
    if (!has(out, 'minimum', 'exclusiveMinimum')) out.minimum = numeric.minimum;
    if (!has(out, 'maximum', 'exclusiveMaximum')) out.maximum = numeric.maximum;
  }
  if (types.includes('array') && !has(out, 'maxItems')) out.maxItems = INPUT_BOUNDS.arrayItems;
  const openKeys = isSchema(out.additionalProperties) || isSchema(out.patternProperties);
  if (openKeys && !has(out, 'maxProperties')) out.maxProperties = INPUT_BOUNDS.objectProperties;
  for (const key of SUBSCHEMA) if (isSchema(out[key])) out[key] = bounded(out[key], stringLength);
  for (const key of SUBSCHEMA_LISTS)
    if (Array.isArray(out[key]))
      out[key] = (out[key] as unknown[]).map((s) => bounded(s, stringLength));
  for (const key of SUBSCHEMA_MAPS)
    if (isSchema(out[key]))
      out[key] = Object.fromEntries(
        Object.entries(out[key]).map(([name, s]) => [name, bounded(s, stringLength)]),
      );
  return out;
}

/** Where a request carries values a route's schema can declare, as Fastify names each. */
const PARTS = [
  { schema: 'params', value: 'params', stringLength: INPUT_BOUNDS.urlString },
  { schema: 'querystring', value: 'query', stringLength: INPUT_BOUNDS.urlString },
  { schema: 'headers', value: 'headers', stringLength: INPUT_BOUNDS.urlString },
  { schema: 'body', value: 'body', stringLength: INPUT_BOUNDS.bodyString },
] as const;
type Part = (typeof PARTS)[number];

// With the u flag a well-formed surrogate pair is one code point; \p{Cs} matches only lone halves.
const UNSTORABLE = /[\0\p{Cs}]/u;

/**
 * Why PostgreSQL could not take `text` (NUL: error 22021) or it is not Unicode (a lone UTF-16
 * surrogate has no UTF-8 form), if so.
 */
function textProblem(text: string): 'nul_byte' | 'lone_surrogate' | undefined {
  if (!UNSTORABLE.test(text)) return undefined;
  return text.includes('\0') ? 'nul_byte' : 'lone_surrogate';
}

/**
 * An object of values as a parser made it (JSON, the query string's null-prototype objects), not a
 * buffer or a stream.
 */
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !ArrayBuffer.isView(v) &&
  typeof (v as { pipe?: unknown }).pipe !== 'function';

/** Where a value sits: its key, and the place of the object or array holding it. */
interface Place {
  key: string;
  parent: Place | undefined;
}
const pathOf = (place: Place | undefined): string[] => {
  const path: string[] = [];
  for (let p = place; p; p = p.parent) path.push(p.key);
  return path.reverse();
};

/**
 * The first string (value or key) in `value` PostgreSQL could not store, named as validation
 * errors name fields: the path from the part's root, dot-separated (`match.name`, `roles.0`). A key
 * is named with its bad characters shown as U+FFFD. Walks without recursion: a body may nest deep.
 * And in time linear in the value's size, however deep: each place links to its parent, and only
 * the path of a bad string is spelt out (a copy of the path at every level took minutes on a body
 * nested 40,000 deep).
 */
function findBadText(value: unknown): { field: string; rule: string } | undefined {
  const stack: [unknown, Place | undefined][] = [[value, undefined]];
  while (stack.length) {
    const [v, place] = stack.pop()!;
    if (typeof v === 'string') {
      const rule = textProblem(v);
      if (rule) return { field: pathOf(place).join('.'), rule };
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        stack.push([item, { key: String(i), parent: place }]);
      });
    } else if (isRecord(v)) {
      for (const [key, item] of Object.entries(v)) {
        const rule = textProblem(key);
        if (rule)
          return {
            field: [...pathOf(place), key.replace(/[\0\p{Cs}]/gu, '\uFFFD')].join('.'),
            rule,
          };
        stack.push([item, { key, parent: place }]);
      }
    }
  }
  return undefined;
}

const MESSAGES = {
  nul_byte: 'must not contain the NUL character (U+0000)',
  lone_surrogate: 'must not contain a lone UTF-16 surrogate',
} as Record<string, string>;

/**
 * A preValidation hook refusing, before the schemas are checked and before the handler runs, any
 * string PostgreSQL could not store in the parts of the request `parts` names. Headers are only
 * the ones the route declares; a body only as JSON parsed it (a streamed upload or a file the
 * route reads itself is the loader's to check).
 */
function refuseUnstorableText(parts: Part[], headerNames: string[]) {
  return async (req: FastifyRequest) => {
    for (const part of parts) {
      let value: unknown = req[part.value];
      if (part.value === 'headers')
        value = Object.fromEntries(headerNames.map((name) => [name, req.headers[name]]));
      if (part.value === 'body' && !(typeof value === 'string' || isRecord(value))) continue;
      const found = findBadText(value);
      if (found)
        throw new AppError('VALIDATION_FAILED', {
          field: found.field || part.schema,
          rule: found.rule,
          in: part.schema,
          message: MESSAGES[found.rule],
        });
    }
  };
}

type Hook = Exclude<NonNullable<RouteOptions['preValidation']>, unknown[]>;
const hooks = (h: RouteOptions['preValidation']): Hook[] =>
  h === undefined ? [] : Array.isArray(h) ? h : [h];

/** Methods whose requests Fastify reads a body of, when they carry one. */
const BODY_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * `response` with the refusals of input a route can answer declared where it does not declare
 * them itself: 400 VALIDATION_FAILED or BAD_REQUEST for a route that takes input (its schemas name
 * some, or it reads a body: one that is not JSON is refused), 413 for a body past the limit and 415
 * for one of a type nothing parses.
 */
function withInputRefusals(response: Schema, takesBody: boolean): Schema {
  const out = { ...response };
  for (const status of takesBody ? ['400', '413', '415'] : ['400'])
    if (out[status] === undefined && out[Number(status)] === undefined) out[status] = ErrorBody;
  return out;
}

/**
 * Checks every string and number of every route before any handler runs. On each route as it is
 * added (so before @fastify/swagger reads it, and the document shows the bounds): its params,
 * querystring, headers and body schemas get the default bounds wherever they name none, and a
 * hook refuses NUL characters and lone surrogates anywhere in those parts with the usual 400
 * VALIDATION_FAILED naming the field. The refusals of input it can answer with (400, and 413 and
 * 415 where it reads a body) are added to the route's declared responses. Install before any route
 * is added.
 */
export function installInputChecks(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Schema | undefined;
    if (!schema) return;
    // Fastify takes `query` for `querystring`.
    const { query, ...rest } = schema;
    const next: Schema =
      query !== undefined && rest.querystring === undefined
        ? { ...rest, querystring: query }
        : { ...schema };
    const parts = PARTS.filter((p) => isSchema(next[p.schema]));
    const takesBody = ([] as string[]).concat(route.method).some((m) => BODY_METHODS.includes(m));
    if (isSchema(next.response) && (parts.length || takesBody))
      next.response = withInputRefusals(next.response, takesBody);
    route.schema = next;
    if (!parts.length) return;
    for (const part of parts) next[part.schema] = bounded(next[part.schema], part.stringLength);
    const headers = next.headers as Schema | undefined;
    const headerNames = Object.keys((headers?.properties as Schema | undefined) ?? {}).map((n) =>
      n.toLowerCase(),
    );
    route.preValidation = [...hooks(route.preValidation), refuseUnstorableText(parts, headerNames)];
  });
}
