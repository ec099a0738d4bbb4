/** Contracts: a managed-services contract per customer, some block-hour and T&M contracts, with services, blocks and charges. */
import type { Row } from "../schema.ts";
import { DAY, contactOf, iso, midnight, pastMoment, productLine, type Seed } from "./context.ts";

export function seedContracts(s: Seed): void {
  const { db, rng } = s;
  let number = 1000;
  const contract = (values: Record<string, unknown>) =>
    db.insert("Contracts", {
      contractNumber: `CT-${String(++number)}`,
      status: 1,
      contractPeriodType: 1,
      billingPreference: 2,
      timeReportingRequiresStartAndStopTimes: 0,
      isDefaultContract: false,
      isCompliant: true,
      serviceLevelAgreementID: 1,
      userDefinedFields: {},
      ...values,
    });

  for (const customer of s.customers) {
    const start = s.now - rng.int(30, 700) * DAY;
    const tier = s.tierOf.get(customer.id);
    const managed = contract({
      companyID: customer.id,
      contactID: contactOf(s, customer.id),
      contractName: `${String(customer.companyName)} Managed Services`,
      description: "Monthly managed services agreement: workstations, servers, Microsoft 365 and help desk.",
      contractType: 7,
      contractCategory: 1,
      startDate: midnight(start),
      endDate: midnight(start + 3 * 365 * DAY),
      isDefaultContract: true,
      serviceLevelAgreementID: tier === "Gold" ? 2 : 1,
      estimatedRevenue: rng.int(12, 80) * 1000,
    });
    s.managedContractOf.set(customer.id, managed.id);
    for (const service of rng.sample(s.services, rng.int(2, 4))) db.insert("ContractServices", contractService(managed, service, customer));

    if (rng.chance(0.3)) {
      const blockStart = s.now - rng.int(10, 200) * DAY;
      const block = contract({
        companyID: customer.id,
        contractName: `${String(customer.companyName)} Project Block Hours`,
        contractType: 4,
        contractCategory: 2,
        startDate: midnight(blockStart),
        endDate: midnight(blockStart + 365 * DAY),
        timeReportingRequiresStartAndStopTimes: 1,
      });
      for (let i = 0; i < rng.int(1, 2); i++) {
        const hours = rng.pick([10, 20, 40]);
        db.insert("ContractBlocks", {
          contractID: block.id,
          datePurchased: midnight(blockStart + i * 60 * DAY),
          startDate: midnight(blockStart + i * 60 * DAY),
          endDate: midnight(blockStart + 365 * DAY),
          hours,
          hourlyRate: 135,
          hoursApproved: Math.round(hours * rng.next() * 4) / 4,
          isPaid: rng.chance(0.8),
          paymentType: 4,
          status: 1,
          invoiceNumber: `B-${String(rng.int(100, 999))}`,
        });
      }
    }
    if (rng.chance(0.2)) {
      const endedAt = s.now - rng.int(30, 300) * DAY;
      contract({
        companyID: customer.id,
        contractName: `${String(customer.companyName)} Support Agreement (expired)`,
        contractType: 1,
        contractCategory: 3,
        startDate: midnight(endedAt - 365 * DAY),
        endDate: midnight(endedAt),
        status: 0,
      });
    }
  }

  const managedIds = [...s.managedContractOf.values()];
  for (let i = 0; i < 15; i++) {
    const contractID = rng.pick(managedIds);
    const product = rng.pick(s.products);
    const quantity = rng.int(1, 10);
    const purchased = pastMoment(s, 0, 120);
    db.insert("ContractCharges", {
      contractID,
      ...productLine(product, quantity),
      description: `Recurring licence true-up: ${String(product.name)}`,
      chargeType: 1,
      datePurchased: midnight(purchased),
      isBillableToCompany: true,
      isBilled: purchased < s.now - 30 * DAY,
      status: rng.pick([1, 4, 5, 6]),
      billingCodeID: product.productBillingCodeID,
      createDate: iso(purchased),
      creatorResourceID: s.managerId,
      statusLastModifiedBy: s.managerId,
      statusLastModifiedDate: iso(purchased),
    });
  }
}

/** A service line on a contract at the service's own price, as Autotask adds it. */
export function contractService(contract: Row, service: Row, customer: Row): Record<string, unknown> {
  return {
    contractID: contract.id,
    serviceID: service.id,
    unitPrice: service.unitPrice,
    unitCost: service.unitCost,
    internalCurrencyUnitPrice: service.unitPrice,
    internalCurrencyAdjustedPrice: service.unitPrice,
    invoiceDescription: service.invoiceDescription,
    internalDescription: `${String(service.name)} for ${String(customer.companyName)}`,
  };
}
