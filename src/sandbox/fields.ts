/** entityInformation, entityInformation/fields and entityInformation/userDefinedFields, from the table. */
import { supports, type EntityDef } from "../autotask/entities.ts";
import { PICKLIST_PARENTS } from "./picklists.ts";
import {
  WEBHOOK_ENTITIES,
  dataFields,
  hasUdfs,
  isPicklistField,
  isQueryable,
  referenceOf,
  singularOf,
  stringLength,
} from "./schema.ts";
import type { TenantDb } from "./store.ts";
import { udfsFor } from "./udfs.ts";

export function entityInformation(def: EntityDef) {
  const access = (op: Parameters<typeof supports>[1]) => (supports(def, op) ? "All" : "None");
  return {
    info: {
      name: def.singular,
      canCreate: supports(def, "create"),
      canDelete: supports(def, "delete"),
      canQuery: supports(def, "query"),
      canUpdate: supports(def, "update"),
      userAccessForCreate: access("create"),
      userAccessForDelete: access("delete"),
      userAccessForQuery: access("query"),
      userAccessForUpdate: access("update"),
      hasUserDefinedFields: hasUdfs(def),
      supportsWebhookCallouts: WEBHOOK_ENTITIES.has(def.name),
    },
  };
}

// Autotask reports calendar dates as datetime too (at midnight).
const DATA_TYPES: Record<string, string> = { base64: "string", date: "datetime" };

export function fieldInformation(def: EntityDef, db: TenantDb) {
  const required = new Set(def.requiredOnCreate.map((name) => name.toLowerCase()));
  const webhooks = WEBHOOK_ENTITIES.has(def.name);
  return {
    fields: dataFields(def).map((field) => {
      const reference = referenceOf(def, field);
      const picklist = isPicklistField(def, field);
      return {
        name: field.name,
        dataType: DATA_TYPES[field.type] ?? field.type,
        length: stringLength(field),
        isRequired: field.name === "id" || required.has(field.name.toLowerCase()),
        isReadOnly: Boolean(field.readOnly) || field.name === "id",
        isQueryable: isQueryable(field),
        isReference: Boolean(reference),
        referenceEntityType: reference ? singularOf(reference) : "",
        isPickList: picklist,
        picklistValues: picklist ? (db.picklist(def.name, field.name) ?? []) : null,
        picklistParentValueField: PICKLIST_PARENTS[`${def.name}.${field.name}`] ?? "",
        isSupportedWebhookField: webhooks && field.name !== "id" && !field.readOnly,
      };
    }),
  };
}

export function userDefinedFieldInformation(def: EntityDef) {
  return {
    fields: udfsFor(def.name).map((udf) => ({
      name: udf.name,
      label: udf.name,
      type: udf.type,
      length: udf.length,
      description: udf.description,
      isRequired: false,
      isReadOnly: false,
      isQueryable: true,
      isReference: false,
      referenceEntityType: "",
      isPickList: Boolean(udf.picklist),
      picklistValues: udf.picklist ?? null,
      picklistParentValueField: "",
      defaultValue: null,
      isSupportedWebhookField: WEBHOOK_ENTITIES.has(def.name),
    })),
  };
}
