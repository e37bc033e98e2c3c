import fc from 'fast-check';

/*
 * Mutations of a valid JSON body for property tests: each names the path it broke, so a test can
 * check that the server's `invalid_params` point at it.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A path into a JSON value. */
export type JsonPath = ReadonlyArray<string | number>;

/** One node of a JSON value and where it is. */
export interface JsonNode {
  readonly path: JsonPath;
  readonly value: Json;
}

/** One mutation: what it did and the resulting body. */
export interface Mutation {
  readonly kind: string;
  readonly path: JsonPath;
  readonly body: Json;
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Every node of a JSON value, the root first. */
export function nodesOf(value: Json, path: JsonPath = []): JsonNode[] {
  const here: JsonNode[] = [{ path, value }];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => nodesOf(item, [...path, i]))];
  if (isObject(value)) return [...here, ...Object.entries(value).flatMap(([k, v]) => nodesOf(v, [...path, k]))];
  return here;
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** Defines an own, enumerable property even for names such as `__proto__`, as JSON.parse does. */
function put(target: { [key: string]: Json } | Json[], key: string | number, value: Json | undefined): void {
  if (value === undefined) {
    delete (target as Record<string | number, Json>)[key];
    return;
  }
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `root` with the node at `path` replaced (`undefined`: removed) or edited. */
export function edit(root: Json, path: JsonPath, change: (old: Json) => Json | undefined): Json {
  const copy = clone(root);
  if (path.length === 0) return change(copy) ?? null;
  let parent = copy as { [key: string]: Json } | Json[];
  for (const segment of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[segment] as { [key: string]: Json } | Json[];
  const last = path[path.length - 1] as string | number;
  put(parent, last, change((parent as Record<string | number, Json>)[last] as Json));
  return copy;
}

/** Nested arrays and objects `depth` levels deep. */
export function deeplyNested(depth: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { d: value };
  return value;
}

/** Any small JSON value. */
export const jsonValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** Property names that have bitten JavaScript servers. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '__defineGetter__',
  'valueOf',
] as const;

/** Strings that are hard on parsers and databases. */
export const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff x',
  '\u202eevil',
  '\ufeff',
  'e\u0301',
  '😀'.repeat(20),
  '\u0085\u2028\u2029',
  "'; drop table reports; --",
] as const;

/** Mutations of `base` at every node: wrong types, nulls, removals, unknown and prototype keys, huge and unicode strings, arrays for objects, deep nesting. */
export function mutationsOf(base: Json): fc.Arbitrary<Mutation> {
  const nodes = nodesOf(base);
  const objects = nodes.filter((n) => isObject(n.value));
  const strings = nodes.filter((n) => typeof n.value === 'string');
  const properties = nodes.filter((n) => typeof n.path[n.path.length - 1] === 'string');
  const at = (list: JsonNode[]) => fc.constantFrom(...list);
  const otherType = (node: JsonNode) =>
    fc
      .oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.string({ maxLength: 20 }),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
      )
      .filter((value) => jsonType(value as Json) !== jsonType(node.value)) as fc.Arbitrary<Json>;
  const unknownKey = fc.oneof(
    fc.constantFrom(...PROTOTYPE_KEYS),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
  );
  return fc.oneof(
    at(nodes).chain((node) =>
      otherType(node).map((value) => ({ kind: 'wrong type', path: node.path, body: edit(base, node.path, () => value) })),
    ),
    at(nodes).map((node) => ({ kind: 'null', path: node.path, body: edit(base, node.path, () => null) })),
    at(properties).map((node) => ({ kind: 'removed', path: node.path, body: edit(base, node.path, () => undefined) })),
    fc
      .tuple(at(objects), unknownKey, jsonValue)
      .filter(([node, key]) => !Object.hasOwn(node.value as object, key))
      .map(([node, key, value]) => ({
        kind: `unknown field ${JSON.stringify(key)}`,
        path: node.path,
        body: edit(base, node.path, (old) => {
          put(old as { [key: string]: Json }, key, value);
          return old;
        }),
      })),
    fc.tuple(at(strings), fc.constantFrom(5_000, 70_000), fc.constantFrom('x', 'ü', '😀', '\u202e', 'ك')).map(([node, n, c]) => ({
      kind: `huge string (${n} x ${JSON.stringify(c)})`,
      path: node.path,
      body: edit(base, node.path, () => c.repeat(n)),
    })),
    fc
      .tuple(at(strings), fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...HOSTILE_STRINGS)))
      .map(([node, value]) => ({
        kind: 'unicode string',
        path: node.path,
        body: edit(base, node.path, () => value),
      })),
    at(objects).map((node) => ({ kind: 'array for object', path: node.path, body: edit(base, node.path, (old) => [old]) })),
    fc.tuple(at(nodes), fc.integer({ min: 50, max: 3_000 })).map(([node, depth]) => ({
      kind: `nested ${depth} deep`,
      path: node.path,
      body: edit(base, node.path, () => deeplyNested(depth)),
    })),
  );
}
