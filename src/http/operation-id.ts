/**
 * Stable OpenAPI operationIds derived from method and path, so generated clients
 * get predictable names: GET /api/v1/incidents/{id}/targets/{kind}/explanation →
 * getIncidentsByIdTargetsByKindExplanation. A route may set its own.
 */
const pascal = (s: string): string =>
  s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

export function operationId(method: string, url: string, prefix: string): string {
  const path = url.startsWith(prefix) ? url.slice(prefix.length) : url;
  const parts = path.split('/').filter(Boolean).map((seg) => {
    const param = /^:(\w+)$/.exec(seg) ?? /^\{(\w+)\}$/.exec(seg);
    return param ? `By${pascal(param[1]!)}` : pascal(seg);
  });
  return method.toLowerCase() + parts.join('');
}
