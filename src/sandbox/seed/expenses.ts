/** Expense reports (week ending Saturdays) with their items. */
import { DAY, iso, midnight, type Seed } from "./context.ts";

/** [description, category, payment type, min, max] */
const ITEMS = [
  ["Mileage to client site", 1, 2, 12, 60],
  ["Lunch with client", 2, 1, 25, 90],
  ["Hotel for onsite install", 3, 1, 140, 260],
  ["Ethernet cables and patch leads", 5, 2, 15, 80],
  ["Parking at client office", 7, 3, 8, 25],
] as const;

export function seedExpenses(s: Seed): void {
  const { db, rng } = s;
  const lastSaturday = s.now - (s.now % DAY) - (((new Date(s.now).getUTCDay() + 1) % 7) * DAY);
  db.startIdsAt("ExpenseReports", 401);
  for (let i = 0; i < 10; i++) {
    const weekEnding = lastSaturday - rng.int(0, 10) * 7 * DAY;
    const submitter = rng.pick(s.techs);
    const ageWeeks = (s.now - weekEnding) / (7 * DAY);
    const status = ageWeeks < 1 ? 1 : ageWeeks < 2 ? rng.pick([1, 2]) : rng.weighted([[5, 5], [3, 3], [4, 1]] as const);
    const submitted = status !== 1;
    const report = db.insert("ExpenseReports", {
      name: `Expenses w/e ${midnight(weekEnding).slice(0, 10)} - ${String(submitter.firstName)}`,
      submitterID: submitter.id,
      weekEnding: midnight(weekEnding),
      status,
      submit: submitted,
      submitDate: submitted ? iso(weekEnding + DAY) : null,
      approverID: status >= 3 ? s.managerId : null,
      approvedDate: status === 3 || status === 5 ? iso(weekEnding + 3 * DAY) : null,
      rejectionReason: status === 4 ? "Missing receipts for meals." : null,
      departmentNumber: "D10",
      internalCurrencyCashAdvanceAmount: 0,
      reimbursementCurrencyCashAdvanceAmount: 0,
      internalCurrencyExpenseTotal: 0,
      amountDue: 0,
      userDefinedFields: {},
    });
    let total = 0;
    let due = 0;
    for (let j = 0; j < rng.int(2, 5); j++) {
      const [description, category, paymentType, min, max] = rng.pick(ITEMS);
      const amount = rng.amount(min, max);
      const customer = rng.pick(s.customers);
      const reimbursable = paymentType !== 1;
      total += amount;
      if (reimbursable) due += amount;
      db.insert("ExpenseItems", {
        expenseReportID: report.id,
        description,
        expenseDate: midnight(weekEnding - rng.int(0, 5) * DAY),
        expenseCategory: category,
        paymentType,
        expenseCurrencyExpenseAmount: amount,
        internalCurrencyExpenseAmount: amount,
        internalCurrencyReimbursementAmount: reimbursable ? amount : 0,
        companyID: customer.id,
        isBillableToCompany: category === 5 || (category === 1 && rng.chance(0.5)),
        isReimbursable: reimbursable,
        haveReceipt: category !== 1,
        isRejected: status === 4 && j === 0,
        miles: category === 1 ? Math.round(amount / 0.65) : null,
        origin: category === 1 ? "Office" : null,
        destination: category === 1 ? String(customer.companyName) : null,
        userDefinedFields: {},
      });
    }
    report.internalCurrencyExpenseTotal = Math.round(total * 100) / 100;
    report.amountDue = Math.round(due * 100) / 100;
  }
}
