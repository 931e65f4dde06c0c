/**
 * The REST API's reference as the portal shows it, read from its OpenAPI description: operations
 * grouped by tag, each with its parameters, request body and answers, and the schemas they name.
 * Pure, and rendered on the server: no script of a third party runs under the site's policy.
 */

type Json = Record<string, unknown>;

export type ReferenceParameter = { name: string; in: string; required: boolean; type: string; description: string };
export type ReferenceResponse = { status: string; description: string; schema: string | null };
export type ReferenceOperation = {
  /** The operation's id: the page's anchor for it. */
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string | null;
  authenticated: boolean;
  parameters: ReferenceParameter[];
  requestBody: string | null;
  responses: ReferenceResponse[];
};
export type ReferenceGroup = { tag: string; description: string; operations: ReferenceOperation[] };
export type ReferenceProperty = { name: string; type: string; required: boolean; description: string };
export type ReferenceSchema = { name: string; description: string | null; properties: ReferenceProperty[] };
export type ApiReference = {
  title: string;
  version: string;
  description: string;
  baseUrl: string;
  groups: ReferenceGroup[];
  schemas: ReferenceSchema[];
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** A schema as a short type: `Task`, `Task[]`, `string (uuid)`, `TaskCreate | TaskCreate[]`, `string | null`. */
export function schemaType(schema: unknown): string {
  const s = obj(schema);
  const $ref = str(s.$ref);
  if ($ref) return $ref.slice($ref.lastIndexOf("/") + 1);
  for (const key of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(s[key])) return [...new Set((s[key] as unknown[]).map(schemaType))].join(" | ");
  }
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(s.type)) return (s.type as unknown[]).join(" | ");
  if (s.type === "array") return `${schemaType(s.items)}[]`;
  const type = str(s.type);
  if (!type) return "any";
  return str(s.format) ? `${type} (${s.format as string})` : type;
}

/** The schema names in a body's JSON content, or its media type when it has none. */
function bodyType(body: unknown): string | null {
  const content = obj(obj(body).content);
  const [media] = Object.keys(content);
  if (!media) return null;
  return media === "application/json" ? schemaType(obj(content[media]).schema) : media;
}

export function apiReference(document: unknown): ApiReference {
  const doc = obj(document);
  const info = obj(doc.info);
  const globalSecurity = Array.isArray(doc.security) && doc.security.length > 0;
  const tags = (Array.isArray(doc.tags) ? doc.tags : []).map((t) => ({ tag: str(obj(t).name) ?? "", description: str(obj(t).description) ?? "" }));
  const groups = new Map<string, ReferenceGroup>(tags.map((t) => [t.tag, { ...t, operations: [] }]));

  for (const [path, item] of Object.entries(obj(doc.paths))) {
    for (const method of METHODS) {
      const op = obj(obj(item)[method]);
      if (Object.keys(op).length === 0) continue;
      const tag = (Array.isArray(op.tags) ? str(op.tags[0]) : null) ?? "Other";
      if (!groups.has(tag)) groups.set(tag, { tag, description: "", operations: [] });
      groups.get(tag)!.operations.push({
        id: str(op.operationId) ?? `${method}-${path}`,
        method: method.toUpperCase(),
        path,
        summary: str(op.summary) ?? "",
        description: str(op.description),
        authenticated: Array.isArray(op.security) ? op.security.length > 0 : globalSecurity,
        parameters: (Array.isArray(op.parameters) ? op.parameters : []).map((p) => {
          const param = obj(p);
          return {
            name: str(param.name) ?? "",
            in: str(param.in) ?? "",
            required: param.required === true,
            type: schemaType(param.schema),
            description: str(param.description) ?? "",
          };
        }),
        requestBody: op.requestBody ? bodyType(op.requestBody) : null,
        responses: Object.entries(obj(op.responses)).map(([status, r]) => ({
          status,
          description: str(obj(r).description) ?? "",
          schema: bodyType(r),
        })),
      });
    }
  }

  const schemas = Object.entries(obj(obj(doc.components).schemas)).map(([name, s]) => {
    const schema = obj(s);
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    return {
      name,
      description: str(schema.description),
      properties: Object.entries(obj(schema.properties)).map(([prop, p]) => ({
        name: prop,
        type: schemaType(p),
        required: required.has(prop),
        description: str(obj(p).description) ?? "",
      })),
    };
  });

  return {
    title: str(info.title) ?? "API",
    version: str(info.version) ?? "",
    description: str(info.description) ?? "",
    baseUrl: str(obj(Array.isArray(doc.servers) ? doc.servers[0] : null).url) ?? "",
    groups: [...groups.values()].filter((g) => g.operations.length > 0),
    schemas,
  };
}
