/**
 * What a technician can do from the ticket card: add an internal note, change the status, log time.
 * Each calls one of our tools through the host, with only the arguments the person chose — so the
 * tool's own validation and safe defaults apply exactly as for a model: a note without `publish`
 * gets the tenant's most restrictive visibility, time is logged for the API user's resource with
 * its default role. Nothing is retried: a call without an answer says the outcome is unknown.
 *
 * Buttons are type=button with click handlers, not form submits: a sandboxed view frame without
 * `allow-forms` never fires submit events.
 */
import { h, messageArea, nextId } from "./dom.ts";
import { today } from "./format.ts";
import { ToolCallError, type Data, type Host } from "./host.ts";

interface ActionContext {
  host: Host;
  ticket: Data;
  ticketId: number;
  /** Called after a successful write with what to tell the person; reloads the card. */
  done(text: string): Promise<void>;
}

export function ticketActions(ctx: ActionContext): HTMLElement {
  return h("section", { "aria-label": "Actions" }, h("h2", null, "Actions"), addNote(ctx), changeStatus(ctx), logTime(ctx));
}

/**
 * Runs one write for a button: disables it while in flight (no double submit), reports the tool's
 * error text, or — when no answer came — that the change may have happened and must be checked.
 */
async function write(button: HTMLButtonElement, message: ReturnType<typeof messageArea>, run: () => Promise<string>, done: (text: string) => Promise<void>): Promise<void> {
  button.disabled = true;
  message.show("Saving…");
  try {
    const text = await run();
    message.clear();
    await done(text);
  } catch (error) {
    if (error instanceof ToolCallError && error.outcomeUnknown) {
      message.show(`${error.message} The change may or may not have reached Autotask: check the ticket before trying again.`, "error");
    } else {
      message.show(error instanceof Error ? error.message : String(error), "error");
    }
  } finally {
    button.disabled = false;
  }
}

function addNote(ctx: ActionContext): HTMLElement {
  const id = nextId("note");
  const text = h("textarea", { id, maxlength: 32000, "aria-describedby": `${id}-hint` });
  const message = messageArea();
  const button = h("button", { type: "button", class: "primary" }, "Add internal note");
  button.addEventListener("click", () => {
    const description = text.value.trim();
    if (!description) {
      message.show("Write the note first.", "error");
      text.focus();
      return;
    }
    void write(
      button,
      message,
      async () => {
        const result = await ctx.host.call("autotask_create_ticket_note", { ticketId: ctx.ticketId, description });
        return `Internal note added${typeof result.id === "number" ? ` (note ${result.id})` : ""}.`;
      },
      ctx.done,
    );
  });
  return h(
    "details",
    null,
    h("summary", null, "Add an internal note"),
    h("label", { for: id }, "Note"),
    text,
    h("p", { id: `${id}-hint`, class: "muted" }, "Saved with the tenant's most restrictive visibility (internal only): the customer does not see it."),
    button,
    message.element,
  );
}

function changeStatus(ctx: ActionContext): HTMLElement {
  const id = nextId("status");
  const select = h("select", { id, disabled: true }, h("option", null, "Loading statuses…"));
  const message = messageArea();
  const button = h("button", { type: "button", class: "primary", disabled: true }, "Change status");
  const panel = h("details", null, h("summary", null, "Change status"), h("label", { for: id }, "New status"), h("div", { class: "row" }, select, button), message.element);
  let loaded = false;
  // The tenant's statuses are read when the panel is first opened, not with every card.
  panel.addEventListener("toggle", async () => {
    if (!panel.open || loaded) return;
    loaded = true;
    try {
      const data = await ctx.host.call("autotask_list_ticket_statuses", {});
      const values = ((data.values ?? []) as Data[]).filter((value) => value.isActive !== false);
      select.replaceChildren(
        ...values.map((value) => {
          const current = String(value.value) === String(ctx.ticket.status);
          return h("option", { value: String(value.value), selected: current }, `${String(value.label)}${current ? " (current)" : ""}`);
        }),
      );
      select.disabled = false;
      button.disabled = false;
    } catch (error) {
      loaded = false;
      message.show(`Could not load the statuses: ${error instanceof Error ? error.message : String(error)}`, "error");
    }
  });
  button.addEventListener("click", () => {
    if (select.value === String(ctx.ticket.status)) {
      message.show("That is the current status already.", "info");
      return;
    }
    const label = select.selectedOptions[0]?.textContent ?? select.value;
    void write(
      button,
      message,
      async () => {
        await ctx.host.call("autotask_update_ticket", { ticketId: ctx.ticketId, status: Number(select.value) });
        return `Status changed to ${label}.`;
      },
      ctx.done,
    );
  });
  return panel;
}

function logTime(ctx: ActionContext): HTMLElement {
  const ids = { date: nextId("date"), hours: nextId("hours"), summary: nextId("summary"), hint: nextId("time-hint") };
  const date = h("input", { id: ids.date, type: "date", value: today(), required: true });
  const hoursInput = h("input", { id: ids.hours, type: "number", min: 0.25, max: 24, step: 0.25, value: "0.5", required: true, inputmode: "decimal" });
  const summary = h("textarea", { id: ids.summary, maxlength: 32000, required: true, "aria-describedby": ids.hint });
  const nonBillable = h("input", { type: "checkbox" });
  const message = messageArea();
  const button = h("button", { type: "button", class: "primary" }, "Log time");
  button.addEventListener("click", () => {
    const hoursWorked = Number(hoursInput.value);
    const summaryNotes = summary.value.trim();
    const problem = !/^\d{4}-\d{2}-\d{2}$/.test(date.value)
      ? ["Pick the day the work was done.", date]
      : !(hoursWorked > 0 && hoursWorked <= 24)
        ? ["Hours must be more than 0 and at most 24.", hoursInput]
        : !summaryNotes
          ? ["Say what was done (the summary is required).", summary]
          : undefined;
    if (problem) {
      message.show(problem[0] as string, "error");
      (problem[1] as HTMLElement).focus();
      return;
    }
    void write(
      button,
      message,
      async () => {
        const args: Data = { ticketID: ctx.ticketId, dateWorked: date.value, hoursWorked, summaryNotes };
        // Unticked means "the ticket's default", not "billable": the box only ever adds isNonBillable.
        if (nonBillable.checked) args.isNonBillable = true;
        const result = await ctx.host.call("autotask_create_time_entry", args);
        return `Logged ${hoursWorked} h${typeof result.id === "number" ? ` (time entry ${result.id})` : ""}.`;
      },
      ctx.done,
    );
  });
  return h(
    "details",
    null,
    h("summary", null, "Log time"),
    h(
      "div",
      { class: "row" },
      h("div", null, h("label", { for: ids.date }, "Date worked"), date),
      h("div", null, h("label", { for: ids.hours }, "Hours"), hoursInput),
    ),
    h("label", { for: ids.summary }, "Summary"),
    summary,
    h("p", { id: ids.hint, class: "muted" }, "The summary is shown to the customer on invoices. Time is logged for the connected Autotask user, with their default role."),
    h("label", { class: "inline" }, nonBillable, "Non-billable"),
    h("p", null, button),
    message.element,
  );
}
