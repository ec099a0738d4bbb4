/** ~12 projects with phases, ~80 tasks, project notes and project charges. */
import { PROJECT_STATUS, TASK_STATUS } from "../stock.ts";
import { PHASES, PROJECT_NAMES, TASK_TITLES } from "./names.ts";
import { DAY, HOUR, iso, midnight, pastMoment, productLine, roleOf, type Seed } from "./context.ts";

export function seedProjects(s: Seed): void {
  const { db, rng } = s;
  const departments = [29683211, 29683210];
  const plans = [
    ...PROJECT_NAMES.map((name) => ({ name, company: rng.pick(s.customers).id, type: 5 })),
    { name: "Internal: PSA Clean-up", company: 0, type: 4 },
  ];
  for (const [index, plan] of plans.entries()) {
    const start = s.now + rng.int(-150, 20) * DAY;
    const end = start + rng.int(30, 120) * DAY;
    const { NEW, ACTIVE, WAITING_CUSTOMER, ON_HOLD, COMPLETE } = PROJECT_STATUS;
    const status = end < s.now ? COMPLETE : start > s.now ? NEW : rng.pick([ACTIVE, ACTIVE, ACTIVE, WAITING_CUSTOMER, ON_HOLD]);
    const created = Math.min(start, s.now) - rng.int(5, 30) * DAY;
    const lead = rng.pick(s.projectManagers);
    const project = db.insert("Projects", {
      projectName: plan.name,
      projectNumber: db.nextNumber("P", iso(created)),
      description: `${plan.name} for ${plan.company === 0 ? "the MSP" : "the client"}.`,
      companyID: plan.company,
      contractID: s.managedContractOf.get(plan.company) ?? null,
      projectType: plan.type,
      status,
      statusDateTime: iso(Math.min(s.now, start)),
      startDateTime: midnight(start),
      endDateTime: midnight(end),
      duration: Math.round((end - start) / DAY),
      projectLeadResourceID: lead,
      companyOwnerResourceID: lead,
      department: departments[index % 2],
      estimatedTime: rng.int(20, 200),
      completedPercentage: status === COMPLETE ? 100 : status === NEW ? 0 : rng.int(10, 90),
      completedDateTime: status === COMPLETE ? iso(end) : null,
      createDateTime: iso(created),
      creatorResourceID: lead,
      lastActivityDateTime: iso(pastMoment(s, 0, 20)),
      lastActivityResourceID: lead,
      lastActivityPersonType: 1,
      laborEstimatedRevenue: rng.int(5, 60) * 1000,
      userDefinedFields: {},
    });
    s.projects.push(project);

    const span = (end - start) / PHASES.length;
    PHASES.forEach((title, phaseIndex) => {
      const phaseStart = start + phaseIndex * span;
      const phase = db.insert("Phases", {
        projectID: project.id,
        title,
        description: `${title} phase`,
        phaseNumber: `${phaseIndex + 1}`,
        startDate: midnight(phaseStart),
        dueDate: midnight(phaseStart + span),
        estimatedHours: rng.int(4, 40),
        isScheduled: true,
        createDate: project.createDateTime,
        creatorResourceID: lead,
        lastActivityDateTime: project.lastActivityDateTime,
        userDefinedFields: {},
      });
      const tasks = rng.sample(TASK_TITLES, rng.int(1, 3));
      for (const taskTitle of tasks) {
        const taskStart = phaseStart + rng.next() * span * 0.5;
        const taskEnd = taskStart + rng.int(1, 10) * DAY;
        const taskStatus =
          taskEnd < s.now ? (status === COMPLETE || rng.chance(0.8) ? TASK_STATUS.COMPLETE : TASK_STATUS.IN_PROGRESS) : taskStart < s.now ? TASK_STATUS.IN_PROGRESS : TASK_STATUS.NEW;
        const tech = rng.pick(s.techs);
        const task = db.insert("Tasks", {
          projectID: project.id,
          phaseID: phase.id,
          title: taskTitle,
          description: `${taskTitle} (${plan.name}).`,
          taskNumber: db.nextNumber("T", String(project.createDateTime)),
          status: taskStatus,
          taskType: 1,
          priority: 2,
          priorityLabel: rng.pick([1, 2, 2, 3]),
          taskCategoryID: 1,
          assignedResourceID: tech.id,
          assignedResourceRoleID: roleOf(s, tech.id),
          departmentID: project.department,
          billingCodeID: s.billingCodes.project,
          estimatedHours: rng.pick([1, 2, 4, 8]),
          remainingHours: taskStatus === TASK_STATUS.COMPLETE ? 0 : rng.pick([1, 2, 4]),
          hoursToBeScheduled: 0,
          startDateTime: iso(taskStart),
          endDateTime: iso(taskEnd),
          isTaskBillable: plan.company !== 0,
          isVisibleInClientPortal: rng.chance(0.5),
          canClientPortalUserCompleteTask: false,
          completedDateTime: taskStatus === TASK_STATUS.COMPLETE ? iso(Math.min(taskEnd, s.now - HOUR)) : null,
          completedByResourceID: taskStatus === TASK_STATUS.COMPLETE ? tech.id : null,
          createDateTime: project.createDateTime,
          creatorResourceID: lead,
          creatorType: 1,
          lastActivityDateTime: iso(Math.min(taskEnd, s.now - HOUR)),
          lastActivityResourceID: tech.id,
          lastActivityPersonType: 1,
          userDefinedFields: {},
        });
        s.tasks.push(task);
      }
    });

    for (let i = 0; i < rng.int(1, 3); i++) {
      const at = iso(pastMoment(s, 0, Math.max(1, (s.now - created) / DAY)));
      db.insert("ProjectNotes", {
        projectID: project.id,
        title: rng.pick(["Weekly status", "Risk: hardware lead time", "Decision: cutover date", "Client feedback"]),
        description: "Status reviewed with the client; next steps agreed and documented.",
        noteType: rng.pick([1, 2, 3, 4, 5]),
        publish: rng.pick([1, 2, 4]),
        isAnnouncement: false,
        createDateTime: at,
        creatorResourceID: lead,
        lastActivityDate: at,
        userDefinedFields: {},
      });
    }
    if (plan.company !== 0 && rng.chance(0.7)) {
      const product = rng.pick(s.products);
      const quantity = rng.int(1, 10);
      const at = iso(Math.min(s.now - HOUR, start + DAY));
      db.insert("ProjectCharges", {
        projectID: project.id,
        ...productLine(product, quantity),
        description: `Hardware for ${plan.name}`,
        chargeType: 1,
        datePurchased: midnight(Date.parse(at)),
        isBillableToCompany: true,
        isBilled: status === COMPLETE,
        status: status === COMPLETE ? 6 : 2,
        estimatedCost: quantity * Number(product.unitCost),
        billingCodeID: s.billingCodes.hardware,
        createDate: at,
        creatorResourceID: lead,
        statusLastModifiedBy: lead,
        statusLastModifiedDate: at,
        userDefinedFields: {},
      });
    }
  }
}
