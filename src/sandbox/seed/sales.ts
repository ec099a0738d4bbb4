/** Opportunities and quotes with line items. */
import { DAY, contactOf, iso, midnight, pastMoment, type Seed } from "./context.ts";

const DEALS = [
  "Server refresh", "Microsoft 365 E5 upgrade", "Managed security add-on", "Office Wi-Fi redesign", "Laptop fleet renewal",
  "Backup & DR upgrade", "New branch office fit-out", "VoIP migration", "Annual managed services renewal", "Firewall replacement",
];

export function seedSales(s: Seed): void {
  const { db, rng } = s;
  db.startIdsAt("Opportunities", 2001);
  db.startIdsAt("Quotes", 3001);
  const prospects = s.clients.filter((c) => c.companyType === 2 || c.companyType === 3);
  for (let i = 0; i < 20; i++) {
    const company = i % 4 === 0 && prospects.length > 0 ? rng.pick(prospects) : rng.pick(s.customers);
    const created = pastMoment(s, 5, 240);
    const closeAt = created + rng.int(20, 120) * DAY;
    const status = closeAt < s.now ? rng.weighted([[3, 5], [2, 3], [4, 2]] as const) : 1;
    const stage = status === 1 ? rng.int(1, 4) : 5;
    const amount = rng.int(20, 400) * 100;
    const cost = Math.round(amount * rng.amount(0.45, 0.7));
    const title = `${rng.pick(DEALS)} - ${String(company.companyName)}`;
    const owner = Number(company.ownerResourceID);
    const opportunity = db.insert("Opportunities", {
      companyID: company.id,
      contactID: contactOf(s, company.id),
      title,
      description: `${title}. Scoped during the last business review.`,
      amount,
      cost,
      onetimeRevenue: amount,
      onetimeCost: cost,
      probability: status === 3 || status === 4 ? 100 : status === 2 ? 0 : [10, 25, 50, 75][stage - 1],
      projectedCloseDate: midnight(closeAt),
      startDate: midnight(created),
      closedDate: status === 3 || status === 4 ? midnight(closeAt) : null,
      lostDate: status === 2 ? midnight(closeAt) : null,
      lossReason: status === 2 ? rng.int(1, 4) : null,
      winReason: status === 3 || status === 4 ? rng.int(1, 4) : null,
      stage,
      status,
      rating: rng.int(1, 3),
      ownerResourceID: owner,
      useQuoteTotals: false,
      totalAmountMonths: 12,
      lastActivity: iso(pastMoment(s, 0, 30)),
      createDate: iso(created),
      creatorResourceID: owner,
      userDefinedFields: {},
    });
    if (i >= 15) continue;
    const quote = db.insert("Quotes", {
      opportunityID: opportunity.id,
      companyID: company.id,
      contactID: opportunity.contactID,
      name: `Quote: ${title}`,
      description: "Hardware, licensing and labour as discussed.",
      effectiveDate: midnight(created + DAY),
      expirationDate: midnight(created + 31 * DAY),
      quoteNumber: opportunity.id + 1000,
      isActive: status === 1,
      primaryQuote: true,
      approvalStatus: status === 3 || status === 4 ? 3 : status === 2 ? 4 : rng.pick([1, 2]),
      paymentType: 4,
      paymentTerm: 1,
      calculateTaxSeparately: false,
      showEachTaxInGroup: false,
      showTaxCategory: false,
      createDate: iso(created + DAY),
      creatorResourceID: owner,
      lastActivityDate: iso(created + 2 * DAY),
      userDefinedFields: {},
    });
    seedQuoteItems(s, quote.id);
  }
}

function seedQuoteItems(s: Seed, quoteID: number): void {
  const { db, rng } = s;
  for (const product of rng.sample(s.products, rng.int(1, 3)))
    db.insert("QuoteItems", {
      quoteID,
      quoteItemType: 1,
      productID: product.id,
      name: product.name,
      description: product.description,
      quantity: rng.int(1, 12),
      unitPrice: product.unitPrice,
      unitCost: product.unitCost,
      internalCurrencyUnitPrice: product.unitPrice,
      unitDiscount: 0,
      lineDiscount: 0,
      percentageDiscount: 0,
      isOptional: rng.chance(0.15),
      isTaxable: true,
      periodType: 1,
      taxCategoryID: 2,
    });
  const service = rng.pick(s.services);
  db.insert("QuoteItems", {
    quoteID,
    quoteItemType: 11,
    serviceID: service.id,
    name: service.name,
    description: service.description,
    quantity: rng.int(5, 40),
    unitPrice: service.unitPrice,
    unitCost: service.unitCost,
    unitDiscount: 0,
    lineDiscount: 0,
    percentageDiscount: 0,
    isOptional: false,
    isTaxable: false,
    periodType: 2,
    taxCategoryID: 3,
  });
  db.insert("QuoteItems", {
    quoteID,
    quoteItemType: 3,
    name: "Installation labour",
    description: "Project labour, estimated",
    quantity: rng.pick([4, 8, 16]),
    unitPrice: 145,
    unitCost: 55,
    unitDiscount: 0,
    lineDiscount: 0,
    percentageDiscount: 0,
    isOptional: false,
    isTaxable: false,
    periodType: 1,
    taxCategoryID: 3,
  });
  if (rng.chance(0.3)) {
    const bundle = rng.pick(s.bundles.filter((b) => b.isActive));
    db.insert("QuoteItems", {
      quoteID,
      quoteItemType: 12,
      serviceBundleID: bundle.id,
      name: bundle.name,
      quantity: rng.int(5, 25),
      unitPrice: bundle.unitPrice,
      unitCost: bundle.unitCost,
      unitDiscount: 0,
      lineDiscount: 0,
      percentageDiscount: 0,
      isOptional: true,
      isTaxable: false,
      periodType: 2,
      taxCategoryID: 3,
    });
  }
}
