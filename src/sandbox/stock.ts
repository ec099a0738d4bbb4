/**
 * The stock picklist values the seed and the business rules mean by name (a ticket that is
 * Complete, the Level I Support queue), read by label from picklists.ts, where the values are
 * written once. Later tenants add values of their own but never change these.
 */
import { stockValue } from "./picklists.ts";

const ticketStatus = (label: string) => stockValue("Tickets.status", label);
const queue = (label: string) => stockValue("Tickets.queueID", label);

export const TICKET_STATUS = {
  NEW: ticketStatus("New"),
  COMPLETE: ticketStatus("Complete"),
  WAITING_CUSTOMER: ticketStatus("Waiting Customer"),
  IN_PROGRESS: ticketStatus("In Progress"),
  WAITING_MATERIALS: ticketStatus("Waiting Materials"),
  DISPATCHED: ticketStatus("Dispatched"),
  ESCALATED: ticketStatus("Escalated"),
  WAITING_VENDOR: ticketStatus("Waiting Vendor"),
  ON_HOLD: ticketStatus("On Hold"),
  CUSTOMER_NOTE_ADDED: ticketStatus("Customer Note Added"),
} as const;

export const QUEUE = {
  CLIENT_PORTAL: queue("Client Portal"),
  LEVEL_I: queue("Level I Support"),
  LEVEL_II: queue("Level II Support"),
  MONITORING: queue("Monitoring Alerts"),
  POST_SALE: queue("Post Sale"),
} as const;

const projectStatus = (label: string) => stockValue("Projects.status", label);

export const PROJECT_STATUS = {
  NEW: projectStatus("New"),
  ACTIVE: projectStatus("Active"),
  WAITING_CUSTOMER: projectStatus("Waiting Customer"),
  ON_HOLD: projectStatus("On Hold"),
  COMPLETE: projectStatus("Complete"),
} as const;

export const TASK_STATUS = {
  NEW: stockValue("Tasks.status", "New"),
  COMPLETE: stockValue("Tasks.status", "Complete"),
  IN_PROGRESS: stockValue("Tasks.status", "In Progress"),
} as const;
