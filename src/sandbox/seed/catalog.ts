/** What the MSP sells and manages: products, services, service bundles, configuration items. */
import { PRODUCTS, SERVICES } from "./names.ts";
import { DAY, contactOf, iso, midnight, pastMoment, type Seed } from "./context.ts";

const OPERATING_SYSTEMS = ["Windows 11 Pro 23H2", "Windows 11 Pro 22H2", "Windows 10 Pro 22H2", "Windows Server 2022 Standard", "macOS 14 Sonoma"];
const TYPE_CODES: Record<number, string> = { 1: "DT", 2: "LT", 3: "SRV", 4: "FW", 5: "SW", 6: "AP", 7: "PRN", 8: "NAS", 9: "PH" };
const CATEGORY_OF_TYPE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 2, 9: 5 };

export function seedCatalog(s: Seed): void {
  const { db, rng } = s;
  for (const [name, manufacturer, category, cost, price] of PRODUCTS)
    s.products.push(
      db.insert("Products", {
        name,
        description: name,
        manufacturerName: manufacturer,
        manufacturerProductName: name,
        sku: `${manufacturer.slice(0, 3).toUpperCase()}-${String(rng.int(10000, 99999))}`,
        productCategory: category,
        unitCost: cost,
        unitPrice: price,
        msrp: Math.round(price * 1.1),
        markupRate: Math.round(((price - cost) / cost) * 100) / 100,
        isActive: true,
        isSerialized: category === 1 || category === 3,
        isEligibleForRma: category !== 5,
        doesNotRequireProcurement: category === 5,
        productBillingCodeID: category === 5 || category === 2 ? s.billingCodes.software : s.billingCodes.hardware,
        periodType: category === 5 ? 5 : 1,
        billingType: 1,
        priceCostMethod: 1,
        userDefinedFields: {},
      }),
    );
  db.insert("Products", {
    name: "Dell Latitude 5420 Laptop (discontinued)",
    manufacturerName: "Dell",
    productCategory: 1,
    unitCost: 900,
    unitPrice: 1150,
    isActive: false,
    isSerialized: true,
    productBillingCodeID: s.billingCodes.hardware,
    periodType: 1,
  });

  for (const [name, price, cost] of SERVICES)
    s.services.push(
      db.insert("Services", {
        name,
        description: `${name}, billed monthly`,
        invoiceDescription: name,
        unitPrice: price,
        unitCost: cost,
        markupRate: 0,
        periodType: 2,
        billingCodeID: s.billingCodes.remote,
        serviceLevelAgreementID: name.startsWith("Managed") ? 1 : null,
        isActive: true,
        createDate: iso(s.now - 900 * DAY),
        creatorResourceID: s.managerId,
        lastModifiedDate: iso(pastMoment(s, 10, 300)),
        updateResourceID: s.managerId,
      }),
    );
  db.insert("Services", {
    name: "Legacy Antivirus (retired)",
    unitPrice: 3,
    unitCost: 1,
    periodType: 2,
    billingCodeID: s.billingCodes.remote,
    isActive: false,
    createDate: iso(s.now - 1500 * DAY),
    creatorResourceID: s.managerId,
  });

  for (const [name, price, discount, active] of [
    ["Essentials Bundle", 95, 10, true],
    ["Complete Care Bundle", 175, 15, true],
    ["Server Care Bundle", 240, 5, true],
    ["2021 Starter Bundle", 70, 0, false],
  ] as const)
    s.bundles.push(
      db.insert("ServiceBundles", {
        name,
        description: `${name} per user per month`,
        invoiceDescription: name,
        unitPrice: price,
        unitCost: Math.round(price * 0.35),
        unitDiscount: 0,
        percentageDiscount: discount,
        periodType: 2,
        billingCodeID: s.billingCodes.remote,
        serviceLevelAgreementID: price > 150 ? 2 : 1,
        isActive: active,
        createDate: iso(s.now - 800 * DAY),
        creatorResourceID: s.managerId,
        lastModifiedDate: iso(pastMoment(s, 10, 300)),
      }),
    );

  seedConfigurationItems(s);
}

function seedConfigurationItems(s: Seed): void {
  const { db, rng } = s;
  const hardware = s.products.filter((p) => Number(p.productCategory) !== 5 && Number(p.productCategory) !== 2);
  const counters = new Map<string, number>();
  const weights: Record<string, number> = { "Dell Latitude 5440 Laptop": 6, "Dell OptiPlex 7010 Desktop": 4 };
  for (let i = 0; i < 150; i++) {
    const client = s.customers[i % s.customers.length]!;
    const product = rng.weighted(hardware.map((p) => [p, weights[String(p.name)] ?? 1] as const));
    const type = PRODUCTS.find(([name]) => name === product.name)?.[5] ?? 1;
    const prefix = `${String(client.companyName).replace(/[^A-Za-z]/g, "").slice(0, 4).toUpperCase()}-${TYPE_CODES[type] ?? "DEV"}`;
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    const hostname = `${prefix}-${String(n).padStart(3, "0")}`;
    const installed = s.now - rng.int(30, 1400) * DAY;
    const managed = type <= 3 || type === 8;
    db.insert("ConfigurationItems", {
      companyID: client.id,
      companyLocationID: s.locationOf.get(client.id),
      productID: product.id,
      contactID: type <= 2 ? contactOf(s, client.id) : null,
      configurationItemType: type,
      configurationItemCategoryID: CATEGORY_OF_TYPE[type] ?? 1,
      referenceTitle: hostname,
      referenceNumber: `AST-${String(10000 + i)}`,
      serialNumber: `${String.fromCharCode(65 + rng.int(0, 25))}${String(rng.int(1000000, 9999999))}`,
      isActive: rng.chance(0.93),
      installDate: midnight(installed),
      warrantyExpirationDate: midnight(installed + 3 * 365 * DAY),
      location: type <= 2 ? null : "Server room",
      notes: null,
      numberOfUsers: type <= 2 ? 1 : null,
      serviceLevelAgreementID: managed ? 1 : null,
      rmmDeviceAuditHostname: managed ? hostname : null,
      rmmDeviceAuditOperatingSystem: managed ? (type === 3 ? OPERATING_SYSTEMS[3] : rng.pick(OPERATING_SYSTEMS.slice(0, 3))) : null,
      rmmDeviceAuditIPAddress: managed ? `10.${rng.int(0, 20)}.${rng.int(0, 5)}.${rng.int(10, 250)}` : null,
      rmmDeviceAuditLastUser: managed && type <= 2 ? `${prefix.slice(0, 4)}\\${rng.pick(["jsmith", "mlee", "apatel", "reception", "admin"])}` : null,
      rmmDeviceAuditMissingPatchCount: managed ? rng.weighted([[0, 6], [rng.int(1, 12), 2]] as const) : null,
      rmmOpenAlertCount: managed ? rng.weighted([[0, 8], [1, 1], [2, 1]] as const) : null,
      rmmDeviceUID: managed ? rng.uuid() : null,
      createDate: iso(installed),
      lastModifiedTime: iso(pastMoment(s, 0, 30)),
      userDefinedFields: {},
    });
  }
}
