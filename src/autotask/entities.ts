/**
 * The entity table: the one source of truth for Autotask entities.
 *
 * It drives the client's URLs (collection, parent/child and item paths), the sandbox's routes,
 * validation and field metadata, and the tools' name enrichment. The data lives in entities.json
 * (derived from the Autotask swagger models; see ../shared/autotask-api); this module gives it types
 * and the few derived lookups everyone needs.
 */
import table from "./entities.json" with { type: "json" };

export type FieldType =
  | "integer"
  | "long"
  | "short"
  | "double"
  | "decimal"
  | "string"
  /** An instant, stored in UTC (createDate, dueDateTime …). */
  | "datetime"
  /** A calendar day, never converted between time zones (dateWorked, weekEnding …); see dates.ts. */
  | "date"
  | "boolean"
  | "base64"
  | "udfs";

export type Operation = "query" | "count" | "get" | "create" | "update" | "delete";

export interface FieldDef {
  name: string;
  type: FieldType;
  readOnly?: boolean;
  /** The field holds a picklist value (an integer or string code whose label comes from entityInformation/fields). */
  picklist?: boolean;
  /** The entity (plural collection name) this field's value is an id of. */
  reference?: string;
  /**
   * Set where the field or its flags (type, readOnly, picklist, reference) are inferred from the
   * field's name and Autotask's conventions rather than read from the swagger model or a live
   * entityInformation/fields response (the shared API reference marks facts the same way).
   */
  inferred?: boolean;
}

export interface ParentDef {
  /** The parent entity's collection name, e.g. "Tickets". */
  entity: string;
  /** Path template below V1.0, e.g. "Tickets/{parentId}/Notes". Creates, updates and deletes go here. */
  path: string;
  /** The child's field that holds the parent id, e.g. "ticketID". */
  field: string;
}

export interface EntityDef {
  /** Plural collection name as used in URLs, e.g. "Tickets". */
  name: string;
  /** Singular name as used in field metadata (`referenceEntityType`) and error texts, e.g. "Ticket". */
  singular: string;
  /** Collection path below V1.0 (queries always go here, children included). */
  path: string;
  parent?: ParentDef;
  operations: Operation[];
  aliases?: string[];
  requiredOnCreate: string[];
  /** Fields that make up a record's display name, e.g. ["firstName", "lastName"]. */
  display?: string[];
  /** The fields a search result shows (a `get` shows the whole record). */
  summary?: string[];
  /** Entity-level keys whose values are inferred rather than documented, e.g. ["requiredOnCreate"]. */
  inferred?: string[];
  fields: FieldDef[];
}

export const ENTITIES: readonly EntityDef[] = table as EntityDef[];

const byName = new Map<string, EntityDef>();
for (const entity of ENTITIES) {
  byName.set(entity.name.toLowerCase(), entity);
  byName.set(entity.singular.toLowerCase(), entity);
  for (const alias of entity.aliases ?? []) byName.set(alias.toLowerCase(), entity);
}

/** Looks an entity up by plural, singular or alias name, case-insensitively. */
export function findEntity(name: string): EntityDef | undefined {
  return byName.get(name.toLowerCase());
}

/** Like findEntity, but an unknown name is a programming error. */
export function entity(name: string): EntityDef {
  const found = findEntity(name);
  if (!found) throw new Error(`Unknown Autotask entity "${name}"`);
  return found;
}

const fieldIndex = new WeakMap<EntityDef, Map<string, FieldDef>>();

/** Finds a field by name, case-insensitively (Autotask field names are not case-sensitive). */
export function findField(def: EntityDef, name: string): FieldDef | undefined {
  let index = fieldIndex.get(def);
  if (!index) {
    index = new Map(def.fields.map((f) => [f.name.toLowerCase(), f]));
    fieldIndex.set(def, index);
  }
  return index.get(name.toLowerCase());
}

export function supports(def: EntityDef, op: Operation): boolean {
  return def.operations.includes(op);
}
