import { describe, expect, it } from "vitest";
import { INPUT_LIMITS, taskCreateSchema } from "./input";
import { openApiDocument } from "./openapi";

type JsonSchema = { properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[]; items?: JsonSchema; maxLength?: number; maxItems?: number; $ref?: string };
const schemas = openApiDocument.components.schemas as unknown as Record<string, JsonSchema>;

/** The non-null branch of a nullable property. */
const present = (s: JsonSchema) => s.anyOf?.find((b) => (b as { type?: string }).type !== "null") ?? s;

describe("the API description's request bodies", () => {
  it("are the schemas that parse them: every field, with the same limits", () => {
    const taskCreate = schemas.TaskCreate!;
    expect(Object.keys(taskCreate.properties!).sort()).toEqual(Object.keys(taskCreateSchema.shape).sort());
    const tags = present(taskCreate.properties!.tags!);
    expect(tags.maxItems).toBe(INPUT_LIMITS.maxTags);
    expect(tags.items!.maxLength).toBe(INPUT_LIMITS.maxTagChars);
    expect(present(taskCreate.properties!.constants!).items!.$ref).toBe("#/components/schemas/ConstantInput");
    expect(schemas.ConstantInput!.properties!.key!.maxLength).toBe(INPUT_LIMITS.maxConstantKeyChars);
    for (const name of ["TaskUpdate", "JobCreate", "PaginateRequest", "PaginateFilter", "HardwareConstraintInput"]) {
      expect(schemas[name], name).toHaveProperty("type", "object");
      expect(schemas[name], name).not.toHaveProperty("$schema");
    }
  });
});
