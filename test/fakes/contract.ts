/**
 * The published contract of the insights list operation (test/contract/
 * cloudflare-insights.schema.json), compiled once: the Cloudflare fake checks every
 * request it receives and every response it sends with it, and tests use it directly.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export const CONTRACT_FILE = new URL('../contract/cloudflare-insights.schema.json', import.meta.url);
export const CONTRACT = JSON.parse(readFileSync(CONTRACT_FILE, 'utf8')) as { $id: string };

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
ajv.addSchema(CONTRACT);
const part = (name: string): ValidateFunction => ajv.getSchema(`${CONTRACT.$id}#/$defs/${name}`)!;

export const contract = {
  request: part('request'),
  insight: part('insight'),
  listResponse: part('listResponse'),
  errorResponse: part('errorResponse'),
};

/**
 * Where the API is known to send more than it publishes (docs/architecture.md, "Cloudflare's vocabulary"): a severity, type,
 * status or classification outside the published enum (Cloudflare's product docs list
 * High; the vocabulary grows), and null in an insight's field. Tests serve such records
 * on purpose to show the client keeps them; anything else outside the contract is a
 * mistake of the fake or of a test.
 */
export function isToleratedDeviation(e: ErrorObject): boolean {
  if (!/^\/result\/issues\/\d+\/[^/]+$/.test(e.instancePath)) return false;
  if (e.keyword === 'enum') return /\/(severity|issue_type|status|user_classification)$/.test(e.instancePath);
  return e.keyword === 'type' && e.data === null;
}

/** `/query/severity/0 must be equal to one of the allowed values (low, moderate, critical)` */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
    return `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${allowed}${extra}`;
  });
}
