/**
 * Recurring service lines: ContractServices and ContractServiceBundles.
 *
 * Source: Autotask docs, "ContractServices" and "ContractServiceBundle" entities: on create the
 * contract must be a Recurring Service contract (contractType 7); on update every field is read-only
 * except the adjusted price and the invoice description. The REST ContractServices model has no
 * adjustedPrice, so there its unit price fields stand for it (inferred). A service or bundle appears
 * once per contract (inferred: the UI offers each once). Units are not set here: Autotask derives them
 * from adjustments, which the sandbox does not simulate, so a new line has no unit rows yet.
 */
import { fail } from "./http.ts";
import { unique, type EntityRules } from "./rule-kit.ts";

const RECURRING_SERVICE = 7;

/**
 * `entity` is the line's table, `itemField` the catalog item it sells (serviceID, serviceBundleID) and
 * `changeable` the fields an update may change; a change to any other field is refused, naming it.
 */
function lineRules(entity: string, singular: string, itemField: string, itemLabel: string, changeable: string[]): EntityRules {
  const allowed = new Set(["id", "userDefinedFields", ...changeable]);
  return {
    validate(ctx, row, before) {
      if (before) {
        for (const [field, value] of Object.entries(row)) {
          const was = before[field] ?? null;
          if (!allowed.has(field) && (value ?? null) !== was)
            fail(
              `${field} cannot be changed on an existing ${singular}; only ${changeable.join(", ")} can (it is ${JSON.stringify(was)}, the request sent ${JSON.stringify(value ?? null)}).`,
            );
        }
        return;
      }
      const contract = ctx.db.get("Contracts", Number(row.contractID));
      if (contract && contract.contractType !== RECURRING_SERVICE)
        fail(
          `Contract ${String(row.contractID)} is not a Recurring Service contract (contractType ${String(contract.contractType)}); ${itemLabel}s can only be added to contracts of type ${RECURRING_SERVICE}.`,
        );
      unique(ctx, entity, row, ["contractID", itemField], `${itemLabel} ${String(row[itemField])} is already on contract ${String(row.contractID)}.`);
    },
  };
}

export const CONTRACT_LINE_RULES: Record<string, EntityRules> = {
  ContractServices: lineRules("ContractServices", "ContractService", "serviceID", "Service", [
    "unitPrice",
    "internalCurrencyUnitPrice",
    "internalCurrencyAdjustedPrice",
    "invoiceDescription",
  ]),
  ContractServiceBundles: lineRules("ContractServiceBundles", "ContractServiceBundle", "serviceBundleID", "Service bundle", [
    "adjustedPrice",
    "internalCurrencyAdjustedPrice",
    "invoiceDescription",
  ]),
};
