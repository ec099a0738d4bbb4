/** Service calls (onsite visits), this week and next, with linked tickets, their technicians, and tasks. */
import { TASK_STATUS, TICKET_STATUS } from "../stock.ts";
import { DAY, HOUR, iso, type Seed } from "./context.ts";

export function seedServiceCalls(s: Seed): void {
  const { db, rng } = s;
  const today = s.now - (s.now % DAY);
  db.startIdsAt("ServiceCalls", 801);
  // The first few visits are at customers with projects, so some calls carry project tasks.
  const withProjects = s.customers.filter((c) => s.projects.some((p) => p.companyID === c.id));
  for (let i = 0; i < 15; i++) {
    const company = i < 5 && withProjects.length > 0 ? rng.pick(withProjects) : rng.pick(s.customers);
    const start = today + rng.int(-10, 10) * DAY + rng.int(14, 21) * HOUR;
    const hours = rng.pick([1, 2, 2, 3, 4]);
    const past = start + hours * HOUR < s.now;
    const status = past ? rng.weighted([[4, 8], [5, 1]] as const) : rng.pick([1, 2, 3]);
    const created = Math.min(start, s.now) - rng.int(1, 5) * DAY;
    const call = db.insert("ServiceCalls", {
      companyID: company.id,
      companyLocationID: s.locationOf.get(company.id),
      description: rng.pick(["Onsite: workstation swap-out", "Onsite: network cabinet tidy-up", "Onsite: printer install", "Onsite: quarterly server check"]),
      startDateTime: iso(start),
      endDateTime: iso(start + hours * HOUR),
      duration: hours,
      status,
      isComplete: status === 4 ? 1 : 0,
      canceledByResourceID: status === 5 ? s.managerId : null,
      canceledDateTime: status === 5 ? iso(start - DAY) : null,
      cancelationNoticeHours: status === 5 ? 24 : null,
      createDateTime: iso(created),
      creatorResourceID: s.managerId,
      lastModifiedDateTime: iso(created),
      userDefinedFields: {},
    });
    const tickets = s.tickets.filter((t) => t.companyID === company.id && t.status !== TICKET_STATUS.COMPLETE);
    for (const ticket of rng.sample(tickets.length > 0 ? tickets : s.tickets.filter((t) => t.companyID === company.id), rng.int(1, 2))) {
      const link = db.insert("ServiceCallTickets", { serviceCallID: call.id, ticketID: ticket.id });
      const techs = rng.sample(s.techs, rng.int(1, 2));
      for (const tech of techs) db.insert("ServiceCallTicketResources", { serviceCallTicketID: link.id, resourceID: tech.id });
    }
    const tasks = s.tasks.filter((t) => db.get("Projects", Number(t.projectID))?.companyID === company.id && t.status !== TASK_STATUS.COMPLETE);
    if (tasks.length > 0 && (i < 5 || rng.chance(0.4))) db.insert("ServiceCallTasks", { serviceCallID: call.id, taskID: rng.pick(tasks).id });
  }
}
