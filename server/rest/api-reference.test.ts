import { describe, expect, it } from "vitest";
import { apiReference, schemaType } from "./api-reference";
import { openApiDocument } from "./openapi";

describe("apiReference", () => {
  const reference = apiReference(openApiDocument);
  const operations = reference.groups.flatMap((g) => g.operations);

  it("shows every operation of the API description once, under its tag", () => {
    const described = Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId: string; tags: string[] }>).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(described.length).toBeGreaterThan(20);
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(described.map((d) => d.key).sort());
    for (const { key, op } of described) {
      const group = reference.groups.find((g) => g.operations.some((o) => `${o.method} ${o.path}` === key));
      expect(group?.tag, key).toBe(op.tags[0]);
      expect(operations.find((o) => `${o.method} ${o.path}` === key)!.id).toBe(op.operationId);
    }
    expect(reference.groups.map((g) => g.tag)).toEqual(openApiDocument.tags.map((t) => t.name));
  });

  it("names each operation's parameters, request body and answers", () => {
    const submit = operations.find((o) => o.id === "submitTasks")!;
    expect(submit).toMatchObject({ method: "POST", path: "/tasks", authenticated: true, requestBody: "TaskCreate | TaskCreate[]" });
    expect(submit.responses).toContainEqual({ status: "201", description: "The task was created.", schema: "Created" });
    expect(submit.responses.map((r) => r.status)).toEqual(expect.arrayContaining(["400", "401", "403", "429"]));
    const list = operations.find((o) => o.id === "listTasks")!;
    expect(list.parameters).toEqual([{ name: "tag", in: "query", required: false, type: "string", description: "Only tasks with this tag." }]);
    expect(list.responses[0]).toMatchObject({ status: "200", schema: "TaskSummary[]" });
    expect(operations.find((o) => o.id === "openApi")!.authenticated).toBe(false);
    expect(reference.baseUrl).toBe("/api/v1");
  });

  it("lists every schema of the description with its properties", () => {
    expect(reference.schemas.map((s) => s.name)).toEqual(Object.keys(openApiDocument.components.schemas));
    expect(reference.schemas.find((s) => s.name === "Error")!.properties).toEqual([
      { name: "message", type: "string", required: true, description: "" },
      { name: "field", type: "string", required: false, description: "The input field at fault (400 only), e.g. `constants[2].key`." },
    ]);
  });

  it("writes schemas as short types", () => {
    expect(schemaType({ type: "string", format: "uuid" })).toBe("string (uuid)");
    expect(schemaType({ anyOf: [{ type: "integer" }, { type: "null" }] })).toBe("integer | null");
    expect(schemaType({ type: "array", items: { $ref: "#/components/schemas/Task" } })).toBe("Task[]");
    expect(schemaType({ enum: ["a", "b"] })).toBe('"a" | "b"');
    expect(schemaType(undefined)).toBe("any");
  });
});
