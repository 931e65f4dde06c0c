import { Fragment, type ReactNode } from "react";
import { PageTitle } from "@/components/layout/app-shell";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { apiReference, type ReferenceOperation } from "@/server/rest/api-reference";
import { openApiDocument } from "@/server/rest/openapi";

const reference = apiReference(openApiDocument);
const schemaNames = new Set(reference.schemas.map((s) => s.name));

const METHOD_STYLES: Record<string, string> = {
  GET: "bg-sky-50 text-sky-900 ring-sky-300",
  POST: "bg-green-50 text-green-900 ring-green-300",
  PUT: "bg-amber-50 text-amber-900 ring-amber-300",
  PATCH: "bg-amber-50 text-amber-900 ring-amber-300",
  DELETE: "bg-red-50 text-red-900 ring-red-300",
};

/** Text with `code` spans, as the description writes them. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-stone-100 px-1 font-mono text-[0.9em]">
            {part}
          </code>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/** A type such as `TaskCreate | TaskCreate[]`, each schema name a link to its description below. */
function TypeName({ type }: { type: string }) {
  const parts: ReactNode[] = type.split(/([A-Za-z][A-Za-z0-9]*)/).map((part, i) =>
    schemaNames.has(part) ? (
      <a key={i} href={`#schema-${part}`} className="text-brand-700 underline">
        {part}
      </a>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
  return <code className="font-mono text-[0.9em]">{parts}</code>;
}

function Required() {
  return (
    <>
      <span className="text-red-800" aria-hidden="true">
        {" "}
        *
      </span>
      <span className="sr-only"> (required)</span>
    </>
  );
}

function Method({ method }: { method: string }) {
  return (
    <span className={cn("inline-block w-16 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold ring-1 ring-inset", METHOD_STYLES[method])}>
      {method}
    </span>
  );
}

type Field = { key: string; name: string; in?: string; required?: boolean; type: string; description: string };

/** A table of named, typed fields (an operation's parameters, a schema's fields); "In" only where they say where they go. */
function FieldTable({ caption, nameHeader, fields, className }: { caption: string; nameHeader: string; fields: Field[]; className?: string }) {
  const placed = fields.some((f) => f.in !== undefined);
  return (
    <Table caption={caption} className={className}>
      <THead>
        <tr>
          <Th>{nameHeader}</Th>
          {placed && <Th>In</Th>}
          <Th>Type</Th>
          <Th>Description</Th>
        </tr>
      </THead>
      <TBody>
        {fields.map((f) => (
          <Tr key={f.key}>
            <Td className="font-mono">
              {f.name}
              {f.required && <Required />}
            </Td>
            {placed && <Td>{f.in}</Td>}
            <Td>
              <TypeName type={f.type} />
            </Td>
            <Td>
              <Prose text={f.description} />
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function Operation({ op }: { op: ReferenceOperation }) {
  return (
    <article id={op.id} className="scroll-mt-4 border-t border-stone-200 px-4 py-4 first:border-t-0" aria-labelledby={`${op.id}-title`}>
      <h3 id={`${op.id}-title`} className="flex flex-wrap items-center gap-2">
        <Method method={op.method} />
        <span className="break-all font-mono text-sm font-semibold text-stone-900">{op.path}</span>
        {!op.authenticated && <span className="text-xs text-stone-600">no key needed</span>}
      </h3>
      <p className="mt-1 text-sm text-stone-800">
        <Prose text={op.summary} />
      </p>
      {op.description && (
        <p className="mt-1 text-sm text-stone-600">
          <Prose text={op.description} />
        </p>
      )}
      {op.parameters.length > 0 && (
        <FieldTable
          caption={`Parameters of ${op.method} ${op.path}`}
          nameHeader="Parameter"
          className="mt-3"
          fields={op.parameters.map((p) => ({ key: `${p.in}-${p.name}`, ...p }))}
        />
      )}
      <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        {op.requestBody && (
          <>
            <dt className="text-stone-600">Request body</dt>
            <dd>
              <TypeName type={op.requestBody} />
            </dd>
          </>
        )}
        <dt className="text-stone-600">Answers</dt>
        <dd>
          <ul className="flex flex-col gap-0.5">
            {op.responses.map((r) => (
              <li key={r.status}>
                <span className={cn("font-mono font-semibold", r.status.startsWith("2") ? "text-green-800" : "text-stone-700")}>{r.status}</span>{" "}
                <Prose text={r.description} />
                {r.schema && (
                  <>
                    {" "}
                    · <TypeName type={r.schema} />
                  </>
                )}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </article>
  );
}

/**
 * The REST API's reference, drawn on the server from the same OpenAPI description the API serves
 * at /api/v1/openapi.json: nothing loads from elsewhere and no script runs, so the site's content
 * security policy holds as it is.
 */
export function ApiReference() {
  return (
    <>
      <PageTitle
        title="REST API reference"
        back={{ href: "/compute/account", label: "Account & API keys" }}
        subtitle={`${reference.title} ${reference.version}: Qarnot-compatible, for the SDK and your own scripts.`}
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-4">
        <nav aria-label="API sections" className="lg:sticky lg:top-4 lg:self-start">
          <ul className="flex flex-col gap-3 text-sm">
            {reference.groups.map((g) => (
              <li key={g.tag}>
                <a href={`#tag-${g.tag}`} className="font-medium text-brand-700 underline">
                  {g.tag}
                </a>
                <ul className="mt-1 hidden flex-col gap-0.5 lg:flex">
                  {g.operations.map((op) => (
                    <li key={op.id} className="truncate">
                      <a href={`#${op.id}`} className="font-mono text-xs text-stone-700 hover:underline">
                        {op.method} {op.path}
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
            <li>
              <a href="#schemas" className="font-medium text-brand-700 underline">
                Schemas
              </a>
            </li>
          </ul>
        </nav>
        <div className="flex min-w-0 flex-col gap-6 lg:col-span-3">
          <Card>
            <CardHeader title="Getting started" />
            <CardContent className="flex flex-col gap-2 text-sm text-stone-800">
              <p>
                <Prose text={reference.description} />
              </p>
              <p>
                Base URL: <code className="font-mono">{reference.baseUrl}</code> on this site. Create a key under{" "}
                <a href="/compute/account" className="text-brand-700 underline">
                  Account &amp; API keys
                </a>
                . The machine-readable description:{" "}
                <a href="/api/v1/openapi.json" className="text-brand-700 underline">
                  openapi.json
                </a>
                .
              </p>
            </CardContent>
          </Card>
          {reference.groups.map((g) => (
            <section key={g.tag} id={`tag-${g.tag}`} aria-labelledby={`tag-${g.tag}-title`} className="scroll-mt-4 rounded-lg border border-stone-200 bg-white shadow-sm">
              <header className="border-b border-stone-200 px-4 py-3">
                <h2 id={`tag-${g.tag}-title`} className="text-base font-semibold text-stone-900">
                  {g.tag}
                </h2>
                <p className="text-sm text-stone-600">{g.description}</p>
              </header>
              {g.operations.map((op) => (
                <Operation key={`${op.method} ${op.path}`} op={op} />
              ))}
            </section>
          ))}
          <section id="schemas" aria-labelledby="schemas-title" className="scroll-mt-4 rounded-lg border border-stone-200 bg-white shadow-sm">
            <header className="border-b border-stone-200 px-4 py-3">
              <h2 id="schemas-title" className="text-base font-semibold text-stone-900">
                Schemas
              </h2>
              <p className="text-sm text-stone-600">The bodies the operations take and give. Required fields are marked *.</p>
            </header>
            {reference.schemas.map((s) => (
              <article key={s.name} id={`schema-${s.name}`} className="scroll-mt-4 border-t border-stone-200 px-4 py-4 first:border-t-0">
                <h3 className="font-mono text-sm font-semibold text-stone-900">{s.name}</h3>
                {s.description && (
                  <p className="mt-1 text-sm text-stone-600">
                    <Prose text={s.description} />
                  </p>
                )}
                {s.properties.length > 0 && (
                  <FieldTable caption={`Fields of ${s.name}`} nameHeader="Field" className="mt-2" fields={s.properties.map((p) => ({ key: p.name, ...p }))} />
                )}
              </article>
            ))}
          </section>
        </div>
      </div>
    </>
  );
}
