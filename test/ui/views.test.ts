/**
 * The MCP Apps views in a real browser: headless Chromium shows each view (read from the real CLI
 * over stdio with resources/read) inside a host page built on the official AppBridge, fed with the
 * real structuredContent of our tools against the sandbox. What the view shows is checked as a user
 * sees it; every action is clicked, and its tool call is followed through the host bridge, the MCP
 * client and our tool to the request the sandbox logged. Hostile ticket text must never run.
 *
 * `UI_SCREENSHOTS=1 npx bun test test/ui` also refreshes the README screenshots in docs/views/.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Frame } from "playwright-core";
import { apiPath, ROOT, useSandboxSession, writes } from "../helpers/mcp.ts";
import { callApi } from "../helpers/sandbox-api.ts";
import { contrastFailures, startViewHost, type ViewHost } from "./view-host.ts";
import { describeWithBrowser } from "../helpers/system.ts";

type Row = Record<string, any>;
/** Per test: a browser round trip on a shared 2-core machine is slower than bun's default allows. */
const SLOW = 30_000;
describeWithBrowser("MCP Apps views in Chromium", () => {
  const ctx = useSandboxSession();
  let host: ViewHost;
  const pages = new Map<string, string>();
  const shots = process.env.UI_SCREENSHOTS ? join(ROOT, "docs/views") : mkdtempSync(join(tmpdir(), "autotask-mcp-shots-"));

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    host = await startViewHost((params) => ctx.session.client.callTool(params) as Promise<CallToolResult>);
  }, SLOW);
  afterAll(async () => {
    await host?.close();
    if (!process.env.UI_SCREENSHOTS) rmSync(shots, { recursive: true, force: true });
  });

  async function html(view: string): Promise<string> {
    if (!pages.has(view)) {
      const { contents } = await ctx.session.client.readResource({ uri: `ui://autotask/${view}` });
      pages.set(view, (contents[0] as { text: string }).text);
    }
    return pages.get(view)!;
  }

  /** Runs a tool on the real server and shows its result in a view, as a host would. */
  async function show(view: string, tool: string, args: Row, theme: "light" | "dark" = "light"): Promise<Frame> {
    const result = (await ctx.session.call(tool, args)) as CallToolResult;
    return host.open({ html: await html(view), toolInput: args, toolResult: result, theme });
  }

  async function screenshot(name: string): Promise<void> {
    await host.page.waitForTimeout(150); // the frame height follows the view's size-changed notification
    await host.page.locator("iframe").screenshot({ path: join(shots, `${name}.png`) });
  }

  const rows = (entity: string) => ctx.store().all(entity) as Row[];
  const one = (entity: string, id: unknown) => ctx.store().get(entity, id as number) as Row | undefined;
  const name = (row: Row | undefined) => (row ? `${row.firstName} ${row.lastName}` : "");
  const hoursText = (value: number) => String(Math.round(value * 100) / 100);

  /** An open ticket with an assignee, a contact, SLA due times, time logged and notes of both visibilities. */
  function richTicket(): Row {
    const notes = rows("TicketNotes");
    const timed = new Set(rows("TimeEntries").map((e) => e.ticketID));
    return rows("Tickets").find((t) => {
      const own = notes.filter((n) => n.ticketID === t.id);
      return t.assignedResourceID && t.contactID && t.firstResponseDueDateTime && !t.completedDate && timed.has(t.id) && own.some((n) => n.publish === 1) && own.some((n) => n.publish !== 1);
    })!;
  }

  describe("ticket card", () => {
    test("shows the ticket with names, SLA, notes by visibility and time; follows the host theme", async () => {
      const t = richTicket();
      const frame = await show("ticket-card", "autotask_get_ticket_details", { ticketID: t.id });
      await frame.getByRole("heading", { name: "Latest notes" }).waitFor();
      // The model's result has no notes: the view fetched them with one call of its own.
      expect(host.calls.at(-1)).toMatchObject({ name: "autotask_get_ticket_details", arguments: { ticketID: t.id, fullDetails: true } });

      expect(await frame.getByRole("heading", { level: 1 }).textContent()).toBe(t.title);
      expect(await frame.getByText(t.ticketNumber).count()).toBe(1);
      const facts = (await frame.locator("dl.facts").textContent())!;
      expect(facts).toContain(one("Companies", t.companyID)!.companyName as string);
      expect(facts).toContain(name(one("Contacts", t.contactID)));
      expect(facts).toContain(name(one("Resources", t.assignedResourceID)));
      const chips = (await frame.locator(".chips").textContent())!;
      expect(chips).toContain(ctx.labelOf("Tickets", "status", t.status)!);
      expect(chips).toContain(ctx.labelOf("Tickets", "priority", t.priority)!);
      expect(chips).toContain(ctx.labelOf("Tickets", "queueID", t.queueID)!);
      expect(await frame.locator(".sla li").first().textContent()).toMatch(/^First response(Met|Missed by .+|.+ left|Overdue by .+)due /);

      const notes = rows("TicketNotes").filter((n) => n.ticketID === t.id);
      expect(await frame.locator("article.note").count()).toBe(Math.min(5, notes.length));
      const newest = [...notes].sort((a, b) => String(b.createDateTime).localeCompare(String(a.createDateTime)))[0]!;
      const first = frame.locator("article.note").first();
      expect(await first.locator("h3").textContent()).toBe(newest.title);
      expect(await first.locator(".chip").textContent()).toBe(`Visibility: ${newest.publish === 1 ? "Customer-visible" : /co-managed/i.test(ctx.labelOf("TicketNotes", "publish", newest.publish)!) ? "Internal & co-managed" : "Internal"}`);
      const logged = rows("TimeEntries").filter((e) => e.ticketID === t.id).reduce((sum, e) => sum + Number(e.hoursWorked), 0);
      expect(await frame.getByText(/h logged/).textContent()).toStartWith(`${hoursText(logged)} h logged`);

      // Page-side expressions are strings: this file is type-checked without DOM types. (No string
      // predicates for waitForFunction: they need eval, which the view's CSP rightly refuses.)
      const theme = () => frame.evaluate("[document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor]");
      expect(await theme()).toEqual(["light", "rgb(255, 255, 255)"]);
      expect(await contrastFailures(frame)).toEqual([]);
      await screenshot("ticket-card-light");
      await host.setTheme("dark");
      await frame.locator("html[data-theme=dark]").waitFor({ state: "attached" });
      expect(await theme()).toEqual(["dark", "rgb(28, 29, 33)"]);
      expect(await contrastFailures(frame)).toEqual([]);
      await screenshot("ticket-card-dark");
    }, SLOW);

    test("add note, change status and log time go through the host to our tools and reach Autotask", async () => {
      const t = rows("Tickets").find((row) => !row.completedDate && row.status !== 7)!;
      // An update result carries no ticket: the card loads it, and shows what the tool did.
      const frame = await show("ticket-card", "autotask_update_ticket", { ticketId: t.id, priority: ctx.valueOf("Tickets", "priority", "High") });
      await frame.getByRole("heading", { name: "Latest notes" }).waitFor();
      expect(await frame.getByRole("status").first().textContent()).toBe(`Updated Ticket ${t.id}: priority`);
      ctx.requests();

      await frame.getByText("Add an internal note").click();
      await frame.getByLabel("Note", { exact: true }).fill("Called the user back.\nPrinter works again.");
      await frame.getByRole("button", { name: "Add internal note" }).click();
      await frame.getByText(/^Internal note added \(note \d+\)\.$/).waitFor();
      const note = writes(ctx.requests()).find((r) => r.method === "POST")!;
      expect(apiPath(note)).toBe(`Tickets/${t.id}/Notes`);
      // The view sends no visibility: the tool's safe default (internal only) applies.
      expect(note.body).toMatchObject({ ticketID: t.id, description: "Called the user back.\nPrinter works again.", publish: ctx.valueOf("TicketNotes", "publish", "Internal Only") });
      const added = frame.locator("article.note").first();
      await added.locator(".text").getByText("Printer works again.").waitFor();
      expect(await added.locator(".chip").textContent()).toBe("Visibility: Internal");

      await frame.getByText("Change status").first().click();
      const select = frame.getByLabel("New status");
      await frame.locator("select:enabled").waitFor();
      await select.selectOption({ label: "Waiting Customer" });
      await frame.getByRole("button", { name: "Change status" }).click();
      await frame.getByText("Status changed to Waiting Customer.").waitFor();
      const patch = writes(ctx.requests()).find((r) => r.method === "PATCH")!;
      expect(apiPath(patch)).toBe("Tickets");
      expect(patch.body).toEqual({ id: t.id, status: ctx.valueOf("Tickets", "status", "Waiting Customer") });
      await frame.locator(".chips").getByText("Waiting Customer").waitFor();

      await frame.getByText("Log time").first().click();
      await frame.getByRole("button", { name: "Log time" }).click();
      expect(await frame.getByRole("alert").textContent()).toBe("Say what was done (the summary is required).");
      await frame.getByLabel("Hours").fill("1.25");
      await frame.getByLabel("Summary").fill("Replaced the toner cartridge");
      await frame.getByLabel("Non-billable").check();
      await frame.getByRole("button", { name: "Log time" }).click();
      await frame.getByText(/^Logged 1\.25 h \(time entry \d+\)\.$/).waitFor();
      const posts = writes(ctx.requests());
      expect(posts.map((r) => `${r.method} ${apiPath(r)}`)).toEqual(["POST TimeEntries"]);
      expect(posts[0]!.body).toMatchObject({
        ticketID: t.id,
        hoursWorked: 1.25,
        summaryNotes: "Replaced the toner cartridge",
        isNonBillable: true,
        resourceID: ctx.store().apiUserResourceId,
      });
      await frame.getByText(/\(non-billable\)/).first().waitFor();
      await frame.locator("details").evaluateAll((panels) => panels.forEach((panel) => panel.setAttribute("open", "")));
      expect(await contrastFailures(frame)).toEqual([]);
      expect(host.calls.map((c) => c.name)).toContain("autotask_create_time_entry");
    }, SLOW);

    test("a ticket with more notes than a result lists shows its newest notes and how many there are", async () => {
      const t = rows("Tickets").find((row) => !row.completedDate && !rows("TicketNotes").some((n) => n.ticketID === row.id))!;
      for (let i = 1; i <= 60; i++) {
        const { status } = await callApi(ctx.sandbox, `Tickets/${t.id}/Notes`, { body: { title: `Update ${i}`, description: `Step ${i}`, noteType: 1, publish: 2 } });
        expect(status).toBe(200);
      }
      const frame = await show("ticket-card", "autotask_get_ticket_details", { ticketID: t.id, fullDetails: true });
      await frame.getByRole("heading", { name: "Latest notes" }).waitFor();
      expect(await frame.getByRole("heading", { name: "Latest notes" }).textContent()).toBe("Latest notes · 5 of 60");
      expect(await frame.locator("article.note h3").allTextContents()).toEqual(["Update 60", "Update 59", "Update 58", "Update 57", "Update 56"]);
    }, SLOW);

    test("a tool's error is shown where the person acted, and nothing is sent twice", async () => {
      const t = rows("Tickets")[3]!;
      const frame = await show("ticket-card", "autotask_get_ticket_details", { ticketID: t.id, fullDetails: true });
      await frame.getByRole("heading", { name: "Latest notes" }).waitFor();
      ctx.sandbox.faults.inject({ method: "POST", path: "/Notes", status: 500, body: { errors: ["Simulated failure while saving the note"] }, times: 1 });
      await frame.getByText("Add an internal note").click();
      await frame.getByLabel("Note", { exact: true }).fill("Will this be saved?");
      await frame.getByRole("button", { name: "Add internal note" }).click();
      const alert = frame.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toContain("Simulated failure while saving the note");
      expect(writes(ctx.requests()).filter((r) => r.method === "POST")).toHaveLength(1);
      expect(await frame.getByLabel("Note", { exact: true }).inputValue()).toBe("Will this be saved?");
    }, SLOW);

    test("a new note's result shows the card of its ticket", async () => {
      const t = rows("Tickets")[7]!;
      const frame = await show("ticket-card", "autotask_create_ticket_note", { ticketId: t.id, description: "Escalated to the network team." });
      await frame.getByRole("heading", { level: 1, name: t.title }).waitFor();
      expect(await frame.getByRole("status").first().textContent()).toMatch(/^Created TicketNote \d+$/);
      await frame.locator("article.note .text").getByText("Escalated to the network team.").waitFor();
    }, SLOW);

    test("an error result is shown as such", async () => {
      const frame = await show("ticket-card", "autotask_get_ticket_details", { ticketID: 987654321 });
      expect(await frame.getByRole("alert").textContent()).toContain("Ticket 987654321 was not found");
    }, SLOW);
  });

  describe("queue board", () => {
    test("sorts by any column, and a ticket opens its card by mouse or keyboard", async () => {
      const frame = await show("queue-board", "autotask_search_tickets", { pageSize: 10 });
      const lines = frame.locator("tbody tr");
      await lines.first().waitFor();
      expect(await lines.count()).toBe(10);
      expect(await contrastFailures(frame)).toEqual([]);
      await screenshot("queue-board-light");

      const column = (index: number) => frame.locator(`tbody tr td:nth-child(${index})`).allTextContents();
      const rank = (label: string) => ["Critical", "High", "Medium", "Low"].indexOf(label);
      await frame.getByRole("button", { name: "Priority", exact: true }).click();
      expect(await frame.locator('th[data-key="priority"]').getAttribute("aria-sort")).toBe("ascending");
      const ascending = (await column(4)).map(rank);
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      await frame.getByRole("button", { name: "Priority", exact: true }).click();
      expect(await frame.locator('th[data-key="priority"]').getAttribute("aria-sort")).toBe("descending");
      await frame.getByRole("button", { name: "Ticket", exact: true }).click();
      const numbers = await column(1);
      expect(numbers).toEqual([...numbers].sort());

      const second = rows("Tickets").find((row) => row.ticketNumber === numbers[1])!;
      ctx.requests();
      await frame.getByRole("button", { name: `Open ticket ${second.ticketNumber}` }).focus();
      await frame.page().keyboard.press("Enter");
      await frame.getByRole("heading", { level: 1, name: second.title }).waitFor();
      expect(host.calls.at(-1)).toMatchObject({ name: "autotask_get_ticket_details", arguments: { ticketID: second.id, fullDetails: true } });
      expect(ctx.requests().some((r) => r.method === "GET" && apiPath(r) === `Tickets/${second.id}`)).toBe(true);

      await frame.getByRole("button", { name: "← Back to the tickets" }).click();
      await lines.first().waitFor();
      expect(await frame.evaluate("document.activeElement.textContent")).toBe(second.ticketNumber);
      const first = rows("Tickets").find((row) => row.ticketNumber === numbers[0])!;
      await lines.first().locator("td").nth(1).click();
      await frame.getByRole("heading", { level: 1, name: first.title }).waitFor();

      const dark = await show("queue-board", "autotask_search_tickets", { pageSize: 10 }, "dark");
      expect(await contrastFailures(dark)).toEqual([]);
      await screenshot("queue-board-dark");
    }, SLOW);
  });

  describe("time sheet", () => {
    test("a week per resource: hours per day and item, billable and non-billable totals", async () => {
      const entries = rows("TimeEntries");
      const latest = entries.reduce((max, e) => (String(e.dateWorked) > max ? String(e.dateWorked) : max), "").slice(0, 10);
      const monday = new Date(Date.parse(`${latest}T00:00:00Z`) - ((new Date(`${latest}T00:00:00Z`).getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
      const inWeek = (e: Row) => String(e.dateWorked).slice(0, 10) >= monday && String(e.dateWorked).slice(0, 10) <= latest;
      const counts = new Map<number, number>();
      for (const e of entries.filter(inWeek)) counts.set(e.resourceID, (counts.get(e.resourceID) ?? 0) + 1);
      const resourceId = [...counts].sort((a, b) => b[1] - a[1])[0]![0] as number;
      const mine = entries.filter((e) => inWeek(e) && e.resourceID === resourceId);

      const args = { resourceId, dateWorkedAfter: monday, dateWorkedBefore: latest, pageSize: 200 };
      const frame = await show("time-sheet", "autotask_search_time_entries", args);
      await frame.getByRole("heading", { name: "Time sheet" }).waitFor();
      expect(await frame.getByRole("heading", { level: 2 }).textContent()).toStartWith(name(one("Resources", resourceId)));

      const footer = async (label: string) => (await frame.locator("tfoot tr").filter({ has: frame.getByRole("rowheader", { name: label, exact: true }) }).locator("td").allTextContents());
      const perDay = (filter: (e: Row) => boolean) =>
        Array.from({ length: 7 }, (_, i) => {
          const day = new Date(Date.parse(`${monday}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
          const sum = mine.filter((e) => filter(e) && String(e.dateWorked).startsWith(day)).reduce((total, e) => total + Number(e.hoursWorked), 0);
          return sum ? hoursText(sum) : "";
        });
      // The sheet leaves a zero blank, totals too (a week whose time is all non-billable has no billable total).
      const total = (filter: (e: Row) => boolean) => {
        const sum = mine.filter(filter).reduce((all, e) => all + Number(e.hoursWorked), 0);
        return sum ? hoursText(sum) : "";
      };
      expect(await footer("Total")).toEqual([...perDay(() => true), total(() => true)]);
      expect(await footer("Billable")).toEqual([...perDay((e) => !e.isNonBillable), total((e) => !e.isNonBillable)]);
      expect(await footer("Non-billable")).toEqual([...perDay((e) => e.isNonBillable), total((e) => e.isNonBillable)]);
      const ticketed = mine.find((e) => e.ticketID)!;
      const ticket = one("Tickets", ticketed.ticketID)!;
      const row = frame.locator("tbody tr").filter({ hasText: String(ticket.ticketNumber) }).first();
      expect(await row.locator("td").last().textContent()).not.toBe("");
      expect(await contrastFailures(frame)).toEqual([]);
      await screenshot("time-sheet-light");
      await host.setTheme("dark");
      await frame.locator("html[data-theme=dark]").waitFor({ state: "attached" });
      expect(await contrastFailures(frame)).toEqual([]);
      await screenshot("time-sheet-dark");
    }, SLOW);

    test("entries over several weeks page by week", async () => {
      // A resource whose first 100 entries (the page the search returns) span several months, so weeks.
      const monthsOf = (id: unknown) => new Set(rows("TimeEntries").filter((e) => e.resourceID === id).slice(0, 100).map((e) => String(e.dateWorked).slice(0, 7))).size;
      const resourceId = rows("Resources").map((r) => r.id).find((id) => monthsOf(id) > 1);
      const frame = await show("time-sheet", "autotask_search_time_entries", { resourceId, pageSize: 100 });
      const label = frame.locator(".toolbar [role=status]");
      await label.waitFor();
      const before = await label.textContent();
      expect(await frame.getByRole("button", { name: "Next week →" }).isDisabled()).toBe(true);
      await frame.getByRole("button", { name: "← Previous week" }).click();
      expect(await label.textContent()).not.toBe(before);
      expect(await frame.getByRole("button", { name: "Next week →" }).isDisabled()).toBe(false);
      expect(await frame.evaluate("document.activeElement.textContent")).toBe("← Previous week");
    }, SLOW);
  });

  describe("hostile ticket text", () => {
    test("markup in titles and notes is shown as text and never runs", async () => {
      const t = rows("Tickets")[10]!;
      const title = `<img src=x onerror="globalThis.__pwned='title';alert('title')">Printer <b>offline</b>`;
      const body = `<script>globalThis.__pwned='note';alert('note')</script><img src=x onerror="globalThis.__pwned='img'">`;
      await ctx.ok("autotask_update_ticket", { ticketId: t.id, title });
      await ctx.ok("autotask_create_ticket_note", { ticketId: t.id, title: `<svg onload="alert('svg')">`, description: body });

      const checkFrame = async (frame: Frame) => {
        await host.page.waitForTimeout(300); // time for any injected handler to fire
        expect(await frame.locator("img, svg, b, iframe").count()).toBe(0);
        expect(await frame.locator("script").count()).toBe(1); // the view's own
        expect(await frame.evaluate(() => (globalThis as Record<string, unknown>).__pwned)).toBeUndefined();
        expect(await host.page.evaluate(() => (globalThis as Record<string, unknown>).__pwned)).toBeUndefined();
        expect(host.dialogs).toEqual([]);
      };

      const card = await show("ticket-card", "autotask_get_ticket_details", { ticketID: t.id, fullDetails: true });
      expect(await card.getByRole("heading", { level: 1 }).textContent()).toBe(title);
      const note = card.locator("article.note").first();
      expect(await note.locator("h3").textContent()).toBe(`<svg onload="alert('svg')">`);
      expect(await note.locator(".text").textContent()).toBe(body);
      await checkFrame(card);

      const board = await show("queue-board", "autotask_search_tickets", { searchTerm: "Printer <b>offline", includeCompleted: true });
      await board.locator("tbody tr").first().waitFor();
      expect(await board.locator("tbody tr td:nth-child(2)").first().textContent()).toStartWith(title);
      await checkFrame(board);
    }, SLOW);
  });
});
